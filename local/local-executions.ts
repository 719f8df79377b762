import { randomUUID } from 'node:crypto';
import { ResolvedStateMachine } from './definition';
import { execute, ExecuteOptions, ExecutionResult } from './executor';

/** An execution as Step Functions' ListExecutions lists it. */
export interface ExecutionListItem {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  readonly startDate: string;
  stopDate?: string;
}

/**
 * A stand-in for Step Functions' record of executions: each execution started here is listed
 * (RUNNING while it runs), and gets the context object Step Functions would give it.
 */
export class LocalExecutions {
  private readonly executions: ExecutionListItem[] = [];

  public async start(
    machine: Pick<ResolvedStateMachine, 'name' | 'arn' | 'definition'>,
    options: Omit<ExecuteOptions, 'context'>,
  ): Promise<ExecutionResult> {
    const name = randomUUID();
    const item: ExecutionListItem = {
      executionArn: `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
    };
    this.executions.push(item);
    try {
      const result = await execute(machine.definition, {
        ...options,
        context: {
          Execution: { Id: item.executionArn, Name: name, StartTime: item.startDate, Input: options.input ?? {} },
          StateMachine: { Id: machine.arn, Name: machine.name },
        },
      });
      item.status = result.status;
      return result;
    } catch (error) {
      item.status = 'FAILED';
      throw error;
    } finally {
      item.stopDate = new Date().toISOString();
    }
  }

  /** Executions of a state machine, newest first, as ListExecutions returns them. */
  public list(stateMachineArn: string, statusFilter?: string): ExecutionListItem[] {
    return this.executions
      .filter((item) => item.stateMachineArn === stateMachineArn && (statusFilter === undefined || item.status === statusFilter))
      .reverse();
  }
}
