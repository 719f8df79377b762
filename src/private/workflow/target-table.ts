import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { QueryStates } from './query-states';
import { glueTableArns } from '../glue-arns';
import { retryTransient } from '../retry';
import { ResolvedS3TablesTarget, s3TablesGlueArns } from '../s3-tables';

/** The transient Glue errors that a retry with backoff gets past. */
export const GLUE_TRANSIENT_ERRORS = ['Glue.ThrottlingException', 'Glue.InternalServiceException', 'Glue.OperationTimeoutException'];

export interface TargetTableProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  readonly createTargetQuery: string;
  readonly queries: QueryStates;
  /** The S3 table bucket namespace the target is in, when it is an S3 table. */
  readonly s3Table?: ResolvedS3TablesTarget;
}

/**
 * **Get Target Table**, and when Glue answers that it does not exist, **Create Target Table**:
 * either way the execution goes on from here with the target in place.
 */
export class TargetTable extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: TargetTableProps) {
    super(scope, id);
    const s3Table = props.s3Table;
    const getTarget = s3Table
      ? getS3Table(this, s3Table, props.targetTableName)
      : getTable(this, 'Get Target Table', props.databaseName, props.targetTableName, {
        comment: 'Does the target table exist?',
        resultPath: sfn.JsonPath.DISCARD,
      });
    // An S3 table is created in its namespace, named alone (athena-rules.md rule 18).
    const createTarget = props.queries.query(this, 'Create Target Table', props.createTargetQuery, 'Creates the target table', '$.createTarget',
      s3Table && { catalogName: s3Table.catalogName, databaseName: s3Table.namespace });
    getTarget.addCatch(createTarget, { errors: ['Glue.EntityNotFoundException'], resultPath: '$.targetTableNotFound' });
    this.startState = getTarget;
    this.endStates = [getTarget, createTarget];
  }
}

/**
 * Glue `GetTable` on the target in the table bucket's catalog, `CatalogId`
 * `<account>:s3tablescatalog/<bucket>`, the namespace as its database
 * (https://docs.aws.amazon.com/glue/latest/dg/create-databases-tables-s3-catalog.html). It answers
 * `EntityNotFoundException` for a table that does not exist, as for any catalog.
 */
function getS3Table(scope: Construct, target: ResolvedS3TablesTarget, tableName: string): sfn.TaskStateBase {
  return retryTransient(new tasks.CallAwsService(scope, 'Get Target Table', {
    comment: 'Does the target table exist?',
    service: 'glue',
    action: 'getTable',
    parameters: { CatalogId: target.catalogId, DatabaseName: target.namespace, Name: tableName },
    iamResources: s3TablesGlueArns(scope, target, tableName),
    resultPath: sfn.JsonPath.DISCARD,
  }), GLUE_TRANSIENT_ERRORS, Duration.seconds(2), 5);
}

/** Glue `GetTable` on one table, allowed on exactly that table, with transient errors retried. */
export function getTable(
  scope: Construct,
  id: string,
  databaseName: string,
  tableName: string,
  options: Pick<tasks.CallAwsServiceProps, 'comment' | 'resultSelector' | 'resultPath'>,
): sfn.TaskStateBase {
  return retryTransient(new tasks.CallAwsService(scope, id, {
    ...options,
    service: 'glue',
    action: 'getTable',
    parameters: { DatabaseName: databaseName, Name: tableName },
    iamResources: glueTableArns(scope, databaseName, tableName),
  }), GLUE_TRANSIENT_ERRORS, Duration.seconds(2), 5);
}
