import { integrationOf, TaskHandlers } from './integrations';
import { evaluatePayloadTemplate, takeOverIntrinsics, TakenOverTemplates } from './payload-templates';
import { EventLog, ExecutionAbortedError, ExecutionError, JSONValue, StateMachine, StateMachineDefinition } from './step-functions';

export interface ExecuteOptions {
  /** Local handlers by integration; every Task state's integration must have one. */
  readonly handlers: TaskHandlers;
  /** The execution input. @default {} */
  readonly input?: Record<string, unknown>;
  /**
   * How long every Retry waits before each attempt, in milliseconds, instead of its
   * IntervalSeconds/BackoffRate (which would make tests wait for real).
   * @default - the definition's own intervals
   */
  readonly retryIntervalMillis?: number;
  /** Called with each execution event as it happens (state entered, retried, caught …). */
  readonly onEvent?: (event: EventLog) => void;
  /**
   * The context object (`$$`) beyond its `Execution.Input` and `Execution.StartTime`, e.g.
   * `StateMachine.Id`.
   * @default - only what aws-local-stepfunctions sets
   */
  readonly context?: Record<string, unknown>;
  /** Called once the execution runs, with what stops it (as StopExecution does). */
  readonly onStarted?: (stop: () => void) => void;
}

export interface ExecutionResult {
  /** ABORTED: stopped (StopExecution, or the local runner's `stopDuring`). */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly output?: unknown;
  /** The error name of a failed execution, e.g. `States.TaskFailed`. */
  readonly error?: string;
  readonly cause?: string;
  readonly events: EventLog[];
  /** The names of the states entered, in order. */
  readonly statesEntered: string[];
  readonly durationMillis: number;
}

interface Validated {
  readonly stateMachine: InstanceType<typeof StateMachine>;
  /** The Task states whose intrinsic functions the runner evaluates itself, by name. */
  readonly templates: Map<string, TakenOverTemplates>;
}

/** Constructing a StateMachine validates its definition, which takes a noticeable time; runs of one are independent. */
const validated = new WeakMap<StateMachineDefinition, Validated>();

/**
 * Validates a definition as aws-local-stepfunctions does before running it (asl-validator: the
 * ASL schema, transitions, paths and ARNs), once per definition; an invalid one throws. Intrinsic
 * functions are checked and evaluated by the runner's own parser, as the specification says (see
 * docs/athena-rules.md rule 12), not by asl-validator and aws-local-stepfunctions.
 */
export function validate(definition: StateMachineDefinition): Validated {
  let result = validated.get(definition);
  if (!result) {
    const takenOver = takeOverIntrinsics(definition);
    result = { stateMachine: new StateMachine(takenOver.definition), templates: takenOver.templates };
    validated.set(definition, result);
  }
  return result;
}

/**
 * Executes a state machine definition with aws-local-stepfunctions (its own ASL semantics for
 * Retry, Catch, paths and intrinsic functions), answering each Task with the handler for its
 * integration.
 */
export async function execute(definition: StateMachineDefinition, options: ExecuteOptions): Promise<ExecutionResult> {
  const tasks = taskStates(definition);
  const { stateMachine, templates } = validate(definition);
  const taskResourceLocalHandlers: Record<string, (input: any) => Promise<any>> = {};
  for (const [stateName, resource] of Object.entries(tasks)) {
    const handler = options.handlers[integrationOf(resource)];
    if (!handler) {
      throw new Error(
        `The local runner cannot run Task '${stateName}': no handler for ${resource} (it answers ${Object.keys(options.handlers).join(', ')})`,
      );
    }
    const taken = templates.get(stateName);
    taskResourceLocalHandlers[stateName] = taken
      ? async (scope: { input: unknown; context: unknown }) => {
        const input = taken.parameters === undefined ? scope.input : evaluatePayloadTemplate(taken.parameters, scope);
        const result = await handler(input, { stateName, resource });
        if (taken.resultSelector === undefined) return result as any;
        return evaluatePayloadTemplate(taken.resultSelector, { input: result, context: scope.context }) as any;
      }
      : async (input) => handler(input, { stateName, resource }) as any;
  }
  const retryIntervalOverrides = options.retryIntervalMillis === undefined
    ? undefined
    : Object.fromEntries(Object.keys(tasks).map((stateName) => [stateName, options.retryIntervalMillis!]));

  const started = Date.now();
  const execution = stateMachine.run((options.input ?? {}) as JSONValue, {
    overrides: { taskResourceLocalHandlers, retryIntervalOverrides },
    context: options.context,
  });
  options.onStarted?.(() => execution.abort());
  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      events.push(event);
      options.onEvent?.(event);
    }
  })();

  let result: Omit<ExecutionResult, 'events' | 'statesEntered' | 'durationMillis'>;
  try {
    result = { status: 'SUCCEEDED', output: await execution.result };
  } catch (error) {
    if (error instanceof ExecutionAbortedError) {
      result = { status: 'ABORTED' };
      // The event log of an aborted execution may not end by itself.
      return { ...result, events, statesEntered: events.flatMap((event) => (event.type === 'StateEntered' ? [event.state.name] : [])), durationMillis: Date.now() - started };
    }
    if (!(error instanceof ExecutionError)) throw error;
    const cause = error.cause as Error;
    result = { status: 'FAILED', error: cause.name, cause: cause.message };
  }
  await collecting;
  return {
    ...result,
    events,
    statesEntered: events.flatMap((event) => (event.type === 'StateEntered' ? [event.state.name] : [])),
    durationMillis: Date.now() - started,
  };
}

/** The Task states of a definition, nested ones included, by name. */
function taskStates(definition: Pick<StateMachineDefinition, 'States'>): Record<string, string> {
  const tasks: Record<string, string> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') tasks[name] = state.Resource;
    if (state.Type === 'Parallel') state.Branches.forEach((branch) => Object.assign(tasks, taskStates(branch)));
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) Object.assign(tasks, taskStates(processor));
    }
  }
  return tasks;
}
