import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DataLocation } from './data-location';
import { TargetQueries } from './target-queries';
import { TargetStorage } from './target-storage';
import { WatermarkOptions } from './watermark';

/**
 * Properties of a `KeepDataUpToDate` workflow.
 */
export interface KeepDataUpToDateProps {
  /**
   * The Glue database that holds the source tables and the target table.
   *
   * Lower-case letters, digits and underscores.
   */
  readonly databaseName: string;

  /**
   * The table the workflow creates and keeps up to date.
   *
   * Lower-case letters, digits and underscores.
   */
  readonly targetTableName: string;

  /**
   * The tables the queries read. The workflow's role may read exactly these tables, and no others.
   */
  readonly sourceTableNames: string[];

  /**
   * The statements that create the target table and add newer source rows to it: generated for
   * the common cases (`TargetQueries.appendNewerRows(...)`, `TargetQueries.mergeNewerRows(...)`)
   * or your own (`TargetQueries.fromTemplates(...)`).
   *
   * @default - required; the deprecated `createTargetQuery`, `updateTargetQuery` and `watermark` still work in its place
   */
  readonly queries?: TargetQueries;

  /**
   * Where the target table's data lives: `TargetStorage.s3(location?)` for Hive or Iceberg files
   * in S3, or `TargetStorage.s3Table({ tableBucketArn, namespace })` for an Amazon S3 table bucket.
   *
   * @default TargetStorage.s3() - a new encrypted bucket (`TargetBucket`), prefix `<targetTableName>/`
   */
  readonly target?: TargetStorage;

  /**
   * The Athena statement that creates the target table.
   *
   * @deprecated use `queries: TargetQueries.fromTemplates(createTargetQuery, updateTargetQuery, watermark)`; see docs/migrating.md
   * @default - required unless `queries` is set
   */
  readonly createTargetQuery?: string;

  /**
   * The Athena statement that adds the source rows newer than the newest row in the target.
   *
   * @deprecated use `queries: TargetQueries.fromTemplates(createTargetQuery, updateTargetQuery, watermark)`; see docs/migrating.md
   * @default - required unless `queries` is set
   */
  readonly updateTargetQuery?: string;

  /**
   * Reads the target's newest value before updating, and loads only newer source data.
   *
   * @deprecated use `queries: TargetQueries.fromTemplates(createTargetQuery, updateTargetQuery, watermark)`; see docs/migrating.md
   * @default - no watermark step: the update query finds the newer rows itself
   */
  readonly watermark?: WatermarkOptions;

  /**
   * When the workflow runs by itself, e.g. `scheduler.ScheduleExpression.rate(Duration.hours(1))`.
   *
   * @default - no schedule: start executions yourself
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * Whether at most one execution writes to the target at a time. This turns on:
   * - a guard: an execution that finds another one running ends at once, with status SUCCEEDED
   *   in the state "Skip: Another Execution Is Running", having loaded nothing;
   * - with a watermark, a lock (a DynamoDB conditional write, `lockTable`) that an execution
   *   takes before it loads, and which rejects a second delivery of one scheduled start;
   * - for a Hive target partitioned by the watermark, a write location of each execution's own,
   *   so that files a failed window left are never read.
   *
   * Without it, two executions that overlap may insert the same rows twice.
   *
   * @default true
   */
  readonly singleWriter?: boolean;

  /**
   * Whether an execution that finds another one running ends at once.
   *
   * @deprecated use `singleWriter`, which means the same and names all it turns on: `skipWhenRunning: false` becomes `singleWriter: false`
   * @default true
   */
  readonly skipWhenRunning?: boolean;

  /**
   * With a watermark, how long the target may lag behind the source before the freshness alarm goes off.
   *
   * The alarm goes off when every execution over this long reported source values newer than
   * the target's newest, or none reported at all. A whole number of minutes, at most 7 days.
   *
   * @default Duration.days(1)
   */
  readonly maxStaleness?: Duration;

  /**
   * A topic that the failed-executions alarm notifies.
   *
   * @default - the alarm notifies no one
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Where the target table's data lives.
   *
   * @deprecated use `target: TargetStorage.s3(location)`: `targetDataLocation: { bucket, prefix }` becomes `target: TargetStorage.s3({ bucket, prefix })`
   * @default - a new encrypted bucket (`TargetBucket`), prefix `<targetTableName>/`
   */
  readonly targetDataLocation?: DataLocation;

  /**
   * What happens to the resources that hold data when they leave the stack: the buckets the
   * construct creates (target and results), the log group and the lock table.
   *
   * `RemovalPolicy.DESTROY` deletes them, and empties the buckets first, only when the app also
   * sets the context value `cdk-keep-data-up-to-date:removeDataOnDestroy` to `true` (for example
   * `cdk deploy -c cdk-keep-data-up-to-date:removeDataOnDestroy=true`); without it they are
   * retained, and the construct warns (`removeDataOnDestroyNotSet`).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Where the source tables' data lives. The role may read objects under these locations.
   *
   * @default - none: the role can read no source data, and the construct warns at synth time
   */
  readonly sourceDataLocations?: DataLocation[];

  /**
   * An existing Athena workgroup to run the queries in.
   *
   * If it enforces its configuration ("Override client-side settings"), Athena fails a Hive CTAS
   * that sets `external_location` (docs/athena-rules.md rule 1): create an Iceberg target, as
   * `TargetQueries.mergeNewerRows` does, or use a workgroup that does not enforce its configuration.
   *
   * @default - a new workgroup that encrypts results, publishes metrics and does not enforce its configuration: every query sends the same result location and encryption itself
   */
  readonly workGroupName?: string;

  /**
   * The bucket for Athena query results.
   *
   * With an existing workgroup that enforces its own result location, name that location's
   * bucket here, so the role may write to it.
   *
   * @default - a new encrypted bucket (`ResultsBucket`) whose objects expire after `resultsExpiration`
   */
  readonly resultsBucket?: s3.IBucket;

  /**
   * The key prefix for query results in the results bucket.
   *
   * @default 'athena-results/'
   */
  readonly resultsPrefix?: string;

  /**
   * How long query results are kept in the results bucket the construct creates.
   *
   * @default Duration.days(30)
   */
  readonly resultsExpiration?: Duration;

  /**
   * A customer managed key that the created workgroup encrypts query results with (SSE-KMS).
   *
   * Not with an S3 table target (`TargetStorage.s3Table`): Athena runs no INSERT or MERGE on S3
   * Tables in a workgroup that encrypts results with SSE-KMS.
   *
   * @default - SSE-S3
   */
  readonly resultsEncryptionKey?: kms.IKey;

  /**
   * The most data one query of the created workgroup may scan before Athena cancels it
   * (at least 10 MB).
   *
   * @default - no limit
   */
  readonly bytesScannedCutoffPerQuery?: Size;

  /**
   * A bucket for the S3 server access logs of the buckets the construct creates.
   *
   * @default - no server access logs
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * What the state machine logs to its CloudWatch log group.
   *
   * @default sfn.LogLevel.ERROR
   */
  readonly logLevel?: sfn.LogLevel;

  /**
   * How long the state machine's log events are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The longest an execution may run before Step Functions stops it.
   *
   * @default - no limit beyond each Athena query's own timeout
   */
  readonly timeout?: Duration;

  /**
   * Whether the workflow turns on AWS Glue's table optimizers for an Iceberg target (compaction,
   * snapshot retention and orphan-file deletion), which run as a role of their own (`maintenanceRole`).
   *
   * @default - true for an Iceberg target in S3 (`TargetQueries.mergeNewerRows`, or a watermark with `targetTableType` ICEBERG); a Hive target has none, and true is then an error; an S3 table (`TargetStorage.s3Table`) is maintained by S3, and true is then an error
   */
  readonly icebergMaintenance?: boolean;

  /**
   * How long an Iceberg target keeps its snapshots (for time travel) before the snapshot retention optimizer expires them, in whole days.
   *
   * A change applies on the next execution after the deploy: the workflow updates the period of
   * the existing retention optimizer, keeping whether it is enabled.
   *
   * @default Duration.days(5)
   */
  readonly snapshotRetention?: Duration;
}
