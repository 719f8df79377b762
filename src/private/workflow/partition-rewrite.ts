import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { runtimeQuery } from '../query-template';
import { QueryStates } from './query-states';
import { quoteIdentifier } from '../sql';

export interface PartitionRewriteProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  /** The partition column, which is the watermark column. */
  readonly column: string;
  /** How many of the target's newest partitions are rewritten. */
  readonly partitions: number;
  readonly targetBucket: s3.IBucket;
  /** The target's key prefix, ending in '/' (or empty). */
  readonly targetPrefix: string;
  /** Makes the query states, with the workflow's retry policy. */
  readonly queries: QueryStates;
}

/**
 * Empties the target's partitions that come after the watermark, so that the windows that
 * follow insert them again, late rows included, and nothing twice (as dbt-athena's
 * `insert_overwrite` does). Their objects are deleted, the partitions stay registered.
 *
 * A Hive table keeps partition `v` of column `c` under `<location>c=v/`: that prefix is listed
 * and deleted, a page of keys at a time, until it is empty. If the execution fails between the delete
 * and the insert, the next one finds the partition empty but registered, and rewrites it again.
 */
export class PartitionRewrite extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: PartitionRewriteProps) {
    super(scope, id);
    const chain = emptyPartitions(this, props);
    this.startState = chain.startState;
    this.endStates = chain.endStates;
  }
}

function emptyPartitions(scope: Construct, props: PartitionRewriteProps): sfn.Chain {
  const column = quoteIdentifier(props.column);
  // The bound is a literal of the column's type, so that the partitions compare as values.
  const find = props.queries.query(scope, 'Find Partitions To Rewrite', runtimeQuery(
    `SELECT CAST(${column} AS varchar) AS v FROM ${quoteIdentifier(props.databaseName)}.${quoteIdentifier(`${props.targetTableName}$partitions`)}`
    + ` WHERE ${column} > {{watermark}} ORDER BY ${column}`, { watermark: '$.watermark.literal' }),
  `Lists the target's ${props.partitions} newest partitions, which are rewritten`, '$.rewriteQuery');
  // One header row, then at most `partitions` values.
  const read = props.queries.readResult(scope, 'Read Partitions To Rewrite', '$.rewriteQuery', '$.rewriteResult', props.partitions + 1);

  const list = new tasks.CallAwsService(scope, 'List Partition Objects', {
    service: 's3',
    action: 'listObjectsV2',
    iamAction: 's3:ListBucket',
    iamResources: [props.targetBucket.bucketArn],
    parameters: {
      Bucket: props.targetBucket.bucketName,
      Prefix: sfn.JsonPath.format(`${escapeFormat(props.targetPrefix)}${escapeFormat(props.column)}={}/`, sfn.JsonPath.stringAt('$.value')),
      // A page of keys stays well below Step Functions' 256 KB payload limit.
      MaxKeys: 500,
    },
    resultPath: '$.listing',
  });
  const keys = new sfn.Map(scope, 'Collect Object Keys', {
    itemsPath: '$.listing.Contents',
    itemSelector: { 'Key.$': '$$.Map.Item.Value.Key' },
    resultPath: '$.keys',
  }).itemProcessor(new sfn.Pass(scope, 'Object Key'));
  const remove = new tasks.CallAwsService(scope, 'Delete Partition Objects', {
    service: 's3',
    action: 'deleteObjects',
    iamAction: 's3:DeleteObject',
    iamResources: [props.targetBucket.arnForObjects(`${props.targetPrefix}*`)],
    parameters: {
      Bucket: props.targetBucket.bucketName,
      Delete: { Objects: sfn.JsonPath.listAt('$.keys'), Quiet: true },
    },
    // Quiet: the response holds only the keys S3 could not delete.
    resultPath: '$.deleted',
  });
  const emptied = new sfn.Succeed(scope, 'Partition Emptied');
  // A key left behind would be read again beside its rewritten rows: stop before inserting.
  const notEmptied = new sfn.Fail(scope, 'Partition Not Emptied', {
    error: 'KeepDataUpToDate.PartitionNotEmptied',
    cause: 'S3 could not delete every object of a partition to rewrite; its rows were not inserted again',
  });
  // Deleted keys no longer list: the next page is the first page of what is left.
  list.next(new sfn.Choice(scope, 'Partition Has Objects?')
    .when(sfn.Condition.isPresent('$.listing.Contents'), keys.next(remove).next(new sfn.Choice(scope, 'More Objects?')
      .when(sfn.Condition.isPresent('$.deleted.Errors'), notEmptied)
      .when(sfn.Condition.booleanEquals('$.listing.IsTruncated', true), list)
      .otherwise(emptied)))
    .otherwise(emptied));

  // Row 0 is the header: a Map's ItemsPath takes no slice, so that item ends at once.
  const rewrite = new sfn.Map(scope, 'Empty Partitions To Rewrite', {
    comment: 'Deletes the objects of each partition that the windows insert again',
    itemsPath: '$.rewriteResult.rows',
    itemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value.Data[0].VarCharValue' },
    maxConcurrency: 10,
    resultPath: sfn.JsonPath.DISCARD,
  }).itemProcessor(new sfn.Choice(scope, 'Header Row?')
    .when(sfn.Condition.numberEquals('$.index', 0), new sfn.Succeed(scope, 'Skip Header Row'))
    .otherwise(list));
  return find.next(read).next(rewrite);
}

/** Escapes a literal for States.Format, where `{`, `}`, `'` and `\` are special. */
function escapeFormat(text: string): string {
  return text.replace(/[{}'\\]/g, (c) => `\\${c}`);
}
