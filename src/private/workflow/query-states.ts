import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { workGroupArn } from '../athena-arns';
import { AthenaQueryTask, QueryResultConfiguration } from '../athena-query-task';
import { retryTransient } from '../retry';

/** The transient Athena errors that a retry with backoff gets past. */
export const ATHENA_TRANSIENT_ERRORS = ['Athena.TooManyRequestsException', 'Athena.InternalServerException'];

/** Where the workflow's queries run. */
export interface QueryStatesProps {
  readonly databaseName: string;
  readonly workGroupName: string;
  /** Where query results go, sent with every query. */
  readonly resultConfiguration?: QueryResultConfiguration;
}

/** The catalog and database a query runs in, when not the Glue Data Catalog and `databaseName`. */
export interface QueryContext {
  readonly catalogName: string;
  readonly databaseName: string;
}

/** Makes the states that run an Athena query and read its rows, each with the workflow's retry policy. */
export class QueryStates {
  constructor(private readonly props: QueryStatesProps) {}

  /** Starts a query and waits for it (`.sync`), keeping its ID and the bytes it scanned at `resultPath`. */
  public query(scope: Construct, id: string, queryString: string, comment: string, resultPath: string, context?: QueryContext): sfn.TaskStateBase {
    return retryTransient(new AthenaQueryTask(scope, id, {
      comment,
      queryString,
      resultPath,
      workGroupName: this.props.workGroupName,
      databaseName: context?.databaseName ?? this.props.databaseName,
      catalogName: context?.catalogName,
      resultConfiguration: this.props.resultConfiguration,
      resultSelector: {
        QueryExecutionId: sfn.JsonPath.stringAt('$.QueryExecution.QueryExecutionId'),
        DataScannedInBytes: sfn.JsonPath.numberAt('$.QueryExecution.Statistics.DataScannedInBytes'),
      },
    }), ATHENA_TRANSIENT_ERRORS, Duration.seconds(5), 6);
  }

  /** Reads the first rows of the query whose ID is at `queryPath` (row 0 is the header). */
  public readResult(scope: Construct, id: string, queryPath: string, resultPath: string, maxResults = 2): sfn.TaskStateBase {
    return retryTransient(new tasks.CallAwsService(scope, id, {
      service: 'athena',
      action: 'getQueryResults',
      iamResources: [workGroupArn(scope, this.props.workGroupName)],
      parameters: { QueryExecutionId: sfn.JsonPath.stringAt(`${queryPath}.QueryExecutionId`), MaxResults: maxResults },
      resultSelector: { rows: sfn.JsonPath.listAt('$.ResultSet.Rows') },
      resultPath,
    }), ATHENA_TRANSIENT_ERRORS, Duration.seconds(2), 5);
  }
}
