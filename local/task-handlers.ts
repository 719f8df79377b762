import { QueryFailedError, StartQueryExecutionInput } from './athena/local-athena';
import { GlueCatalog } from './glue-catalog';
import type { CreateTableOptimizerInput, GetTableOptimizerInput } from './glue-table-optimizers';
import type { LocalAws } from './local-aws';
import type { PutMetricDataInput } from './local-cloudwatch';
import type { GetItemInput, UpdateItemInput } from './local-dynamodb';
import type { DeleteObjectsInput, ListObjectsV2Input } from './local-s3';

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

/** Handlers for the integrations the workflow uses, answered by the local catalog and engine. */
export function localTaskHandlers(aws: LocalAws): TaskHandlers {
  const getQueryResults = (input: { QueryExecutionId: string; MaxResults?: number }) => {
    const resultSet = aws.athena.queryResults(input.QueryExecutionId);
    if (!resultSet) {
      throw namedError('Athena.InvalidRequestException', `Query has not yet finished or has no results: ${input.QueryExecutionId}`);
    }
    const header = resultSet.columns.map((column) => column.name);
    const rows = [header, ...resultSet.rows].slice(0, input.MaxResults ?? Infinity);
    return {
      UpdateCount: 0,
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: resultSet.columns.map((column) => ({ Name: column.name, Label: column.name, Type: column.type.toLowerCase() })),
        },
        Rows: rows.map((row) => ({ Data: row.map((value) => (value === undefined ? {} : { VarCharValue: value })) })),
      },
    };
  };

  return {
    'aws-sdk:glue:getTable': (input: { DatabaseName: string; Name: string }) => {
      const table = aws.catalog.getTable(input.DatabaseName, input.Name);
      if (!table) {
        throw namedError(
          'Glue.EntityNotFoundException',
          `Table ${input.Name} not found. (Service: Glue, Status Code: 400, Error Code: EntityNotFoundException)`,
        );
      }
      return GlueCatalog.toGetTableResponse(table);
    },

    'aws-sdk:glue:createTableOptimizer': (input: CreateTableOptimizerInput) => aws.tableOptimizers.create(input),
    'aws-sdk:glue:getTableOptimizer': (input: GetTableOptimizerInput) => aws.tableOptimizers.get(input),

    'athena:startQueryExecution.sync': async (input: StartQueryExecutionInput) => {
      try {
        return { QueryExecution: await aws.athena.startQueryExecution(input) };
      } catch (error) {
        // The .sync integration fails the task with States.TaskFailed and the final
        // GetQueryExecution response as the cause.
        if (error instanceof QueryFailedError) {
          throw namedError('States.TaskFailed', JSON.stringify({ QueryExecution: error.queryExecution }));
        }
        throw error;
      }
    },

    // The SDK integration and the optimized one answer alike.
    'aws-sdk:athena:getQueryResults': getQueryResults,
    'athena:getQueryResults': getQueryResults,

    'aws-sdk:sfn:listExecutions': (input: { StateMachineArn: string; StatusFilter?: string; MaxResults?: number }) => ({
      Executions: aws.executions.list(input.StateMachineArn, input.StatusFilter).slice(0, input.MaxResults || 100),
    }),

    'aws-sdk:sfn:describeExecution': (input: { ExecutionArn: string }) => {
      const execution = aws.executions.describe(input.ExecutionArn);
      if (!execution) throw namedError('Sfn.ExecutionDoesNotExistException', `Execution Does Not Exist: '${input.ExecutionArn}'`);
      return {
        ExecutionArn: execution.executionArn,
        StateMachineArn: execution.stateMachineArn,
        Name: execution.name,
        Status: execution.status,
        StartDate: execution.startDate,
        ...(execution.stopDate ? { StopDate: execution.stopDate } : {}),
      };
    },

    'dynamodb:updateItem': (input: UpdateItemInput) => aws.dynamodb.updateItem(input),
    'dynamodb:getItem': (input: GetItemInput) => aws.dynamodb.getItem(input),

    'aws-sdk:cloudwatch:putMetricData': (input: PutMetricDataInput) => aws.cloudwatch.putMetricData(input),

    'aws-sdk:s3:listObjectsV2': (input: ListObjectsV2Input) => aws.s3.listObjectsV2(input),
    'aws-sdk:s3:deleteObjects': (input: DeleteObjectsInput) => aws.s3.deleteObjects(input),
  };
}
