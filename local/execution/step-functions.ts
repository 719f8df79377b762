import './polyfill';
import type * as LocalStepFunctions from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };

/**
 * aws-local-stepfunctions, loaded through its CommonJS build (the package is ESM-first, and
 * ts-node and jest load this project as CommonJS), after the polyfill it needs on Node 20.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { StateMachine, ExecutionError, ExecutionAbortedError } = require('aws-local-stepfunctions') as typeof LocalStepFunctions;

export type StateMachineDefinition = LocalStepFunctions.StateMachineDefinition;
/** An execution event (the package does not export the type by name). */
export type EventLog = ReturnType<LocalStepFunctions.StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
export type JSONValue = Parameters<LocalStepFunctions.StateMachine['run']>[0];
