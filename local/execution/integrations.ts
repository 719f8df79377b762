/** Where a Task state runs: its name and its `Resource`. */
export interface TaskState {
  readonly stateName: string;
  readonly resource: string;
}

/** Answers a Task state locally: gets the state's effective input, returns its result or throws a named error. */
export type TaskHandler = (input: any, state: TaskState) => unknown;

/**
 * Local handlers by Step Functions integration, as `integrationOf` names it:
 * `aws-sdk:<service>:<action>` for SDK integrations, `<service>:<action>[.sync]` for optimized ones.
 */
export type TaskHandlers = Record<string, TaskHandler>;

/** The integration a Task resource ARN names (`arn:aws:states:::athena:startQueryExecution.sync` → `athena:startQueryExecution.sync`). */
export function integrationOf(resource: string): string {
  const match = /^arn:[^:]+:states:::(.+)$/.exec(resource);
  return match ? match[1] : resource;
}

/** An error that Step Functions' Retry and Catch match by `name`. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
