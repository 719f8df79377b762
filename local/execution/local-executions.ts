import { randomUUID } from 'node:crypto';
import { execute, ExecuteOptions, ExecutionResult } from './executor';
import { namedError } from './integrations';
import { ResolvedStateMachine } from '../assembly/definition';

/** An execution as Step Functions' ListExecutions lists it. */
export interface ExecutionListItem {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly startDate: string;
  stopDate?: string;
}

export interface StartExecutionOptions extends Omit<ExecuteOptions, 'context' | 'onStarted'> {
  /**
   * The execution's name, unique per state machine: StartExecution rejects a name in use with
   * `ExecutionAlreadyExists` (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
   * @default - a random name, as when StartExecution is called without one
   */
  readonly name?: string;
}

/**
 * A stand-in for Step Functions' record of executions: each execution started here is listed
 * (RUNNING while it runs), can be described and stopped, and gets the context object Step
 * Functions would give it.
 */
export class LocalExecutions {
  /**
   * How long a started execution stays out of ListExecutions' answers. ListExecutions "is
   * eventually consistent. The results are best effort and may not reflect very recent updates
   * and changes" (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html):
   * set this to reproduce a stale list.
   */
  public listingLagMillis = 0;
  private readonly executions: ExecutionListItem[] = [];
  private readonly startedAt = new Map<string, number>();
  private readonly stops = new Map<string, () => void>();

  public async start(
    machine: Pick<ResolvedStateMachine, 'name' | 'arn' | 'definition'>,
    options: StartExecutionOptions,
  ): Promise<ExecutionResult> {
    const name = options.name ?? randomUUID();
    const executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.executions.some((item) => item.executionArn === executionArn)) {
      throw namedError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const item: ExecutionListItem = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
    };
    this.executions.push(item);
    this.startedAt.set(executionArn, Date.now());
    try {
      const result = await execute(machine.definition, {
        ...options,
        context: {
          Execution: { Id: item.executionArn, Name: name, StartTime: item.startDate, Input: options.input ?? {} },
          StateMachine: { Id: machine.arn, Name: machine.name },
        },
        onStarted: (stop) => this.stops.set(executionArn, stop),
      });
      item.status = result.status;
      return result;
    } catch (error) {
      item.status = 'FAILED';
      throw error;
    } finally {
      item.stopDate = new Date().toISOString();
      this.stops.delete(executionArn);
    }
  }

  /** Stops a running execution, as StopExecution does: it ends ABORTED. */
  public stop(executionArn: string): void {
    const stop = this.stops.get(executionArn);
    if (!stop) throw namedError('ExecutionDoesNotExist', `Execution is not running: ${executionArn}`);
    stop();
  }

  /** Executions of a state machine, newest first, as ListExecutions returns them. */
  public list(stateMachineArn: string, statusFilter?: string): ExecutionListItem[] {
    const now = Date.now();
    return this.executions
      .filter((item) => now - this.startedAt.get(item.executionArn)! >= this.listingLagMillis)
      .filter((item) => item.stateMachineArn === stateMachineArn && (statusFilter === undefined || item.status === statusFilter))
      .reverse();
  }

  /** An execution, as DescribeExecution returns it; undefined for one never started here. */
  public describe(executionArn: string): ExecutionListItem | undefined {
    return this.executions.find((item) => item.executionArn === executionArn);
  }

  /** The executions started here, oldest first. */
  public all(): readonly ExecutionListItem[] {
    return this.executions;
  }
}
