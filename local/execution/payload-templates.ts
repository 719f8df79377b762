import { checkIntrinsic, evaluateIntrinsic, IntrinsicScope, isIntrinsic, selectPath } from './intrinsic-functions';
import type { StateMachineDefinition } from './step-functions';

/** A Task state's payload templates that hold intrinsic functions, which the runner evaluates itself. */
export interface TakenOverTemplates {
  readonly parameters?: unknown;
  readonly resultSelector?: unknown;
}

/** A definition for aws-local-stepfunctions, and the templates the runner evaluates for it, by Task state. */
export interface TakenOverDefinition {
  readonly definition: StateMachineDefinition;
  readonly templates: Map<string, TakenOverTemplates>;
}

/** What the Task's handler receives in place of its Parameters: the state's effective input and the context object. */
const SCOPE_PARAMETERS = { 'input.$': '$', 'context.$': '$$' };

/**
 * The definition aws-local-stepfunctions runs, with every Task state whose `Parameters` or
 * `ResultSelector` holds an intrinsic function rewritten so that it hands its input and context
 * to the Task's handler, which evaluates those templates with `evaluatePayloadTemplate`. Checks
 * each intrinsic function of the definition; one the runner cannot evaluate throws.
 */
export function takeOverIntrinsics(definition: StateMachineDefinition): TakenOverDefinition {
  const templates = new Map<string, TakenOverTemplates>();
  const rewrite = (states: Record<string, any>): Record<string, any> => Object.fromEntries(Object.entries(states).map(([name, state]) => {
    let rewritten = { ...state };
    for (const field of ['Parameters', 'ResultSelector', 'ItemSelector', 'Credentials']) {
      const intrinsics = intrinsicsOf(state[field]);
      intrinsics.forEach((text) => {
        try {
          checkIntrinsic(text);
        } catch (error) {
          throw new Error(`State '${name}', ${field}: ${(error as Error).message}`);
        }
      });
      if (intrinsics.length > 0 && !(state.Type === 'Task' && (field === 'Parameters' || field === 'ResultSelector'))) {
        throw new Error(`State '${name}' uses an intrinsic function in its ${field}: the local runner evaluates intrinsic functions only in a Task state's Parameters and ResultSelector`);
      }
    }
    if (state.Type === 'Task' && (intrinsicsOf(state.Parameters).length > 0 || intrinsicsOf(state.ResultSelector).length > 0)) {
      templates.set(name, { parameters: state.Parameters, resultSelector: state.ResultSelector });
      const { ResultSelector: _dropped, ...rest } = rewritten;
      rewritten = { ...rest, Parameters: SCOPE_PARAMETERS };
    }
    if (state.Type === 'Parallel') rewritten.Branches = state.Branches.map((branch: any) => ({ ...branch, States: rewrite(branch.States) }));
    if (state.Type === 'Map') {
      for (const key of ['ItemProcessor', 'Iterator']) {
        if (state[key]) rewritten[key] = { ...state[key], States: rewrite(state[key].States) };
      }
    }
    return [name, rewritten];
  }));
  return { definition: { ...definition, States: rewrite(definition.States) } as StateMachineDefinition, templates };
}

/** Evaluates a taken-over Task's Parameters for its input (and then its ResultSelector for its result), as Step Functions does. */
export function evaluatePayloadTemplate(template: unknown, scope: IntrinsicScope): unknown {
  const evaluate = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(evaluate);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => {
      if (!key.endsWith('.$') || typeof item !== 'string') return [key, evaluate(item)];
      const field = key.slice(0, -2);
      return [field, isIntrinsic(item) ? evaluateIntrinsic(item, scope, key) : selectPath(item, scope, key)];
    }));
  };
  return evaluate(template);
}

/** The intrinsic functions of a payload template (the values of its `.$` fields that are not paths). */
function intrinsicsOf(template: unknown): string[] {
  if (Array.isArray(template)) return template.flatMap(intrinsicsOf);
  if (template === null || typeof template !== 'object') return [];
  return Object.entries(template).flatMap(([key, value]) => {
    if (key.endsWith('.$') && typeof value === 'string') return isIntrinsic(value) ? [value] : [];
    return intrinsicsOf(value);
  });
}
