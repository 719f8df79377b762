import { namedError, TaskHandlers } from './integrations';
import type { LocalExecutions } from './local-executions';
import { LocalAthena, QueryFailedError, StartQueryExecutionInput } from '../athena/api/local-athena';
import { localDatabase } from '../athena/statements/catalog-views';
import type { LocalCloudWatch, PutMetricDataInput } from '../cloudwatch/local-cloudwatch';
import type { GetItemInput, LocalDynamoDb, UpdateItemInput } from '../dynamodb/local-dynamodb';
import { GlueCatalog } from '../glue/glue-catalog';
import type { CreateTableOptimizerInput, GetTableOptimizerInput, LocalTableOptimizers, UpdateTableOptimizerInput } from '../glue/glue-table-optimizers';
import type { DeleteObjectsInput, ListObjectsV2Input, LocalS3 } from '../s3/local-s3';

export { integrationOf, namedError, TaskHandler, TaskHandlers, TaskState } from './integrations';

/** The local services the handlers answer with. */
export interface LocalServices {
  readonly athena: LocalAthena;
  readonly catalog: GlueCatalog;
  readonly executions: LocalExecutions;
  readonly dynamodb: LocalDynamoDb;
  readonly cloudwatch: LocalCloudWatch;
  readonly s3: LocalS3;
  readonly tableOptimizers: LocalTableOptimizers;
}


/** Handlers for the integrations the workflow uses, answered by the local catalog and engine. */
export function localTaskHandlers(aws: LocalServices): TaskHandlers {
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
    'aws-sdk:glue:getTable': (input: { CatalogId?: string; DatabaseName: string; Name: string }) => {
      // A table bucket's catalog is `<account>:s3tablescatalog/<bucket>`, its namespaces its databases.
      const catalog = /:(s3tablescatalog\/.+)$/.exec(input.CatalogId ?? '')?.[1];
      const table = aws.catalog.getTable(localDatabase(catalog, input.DatabaseName), input.Name);
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
    'aws-sdk:glue:updateTableOptimizer': (input: UpdateTableOptimizerInput) => aws.tableOptimizers.update(input),

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
