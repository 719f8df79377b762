import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DataLocation } from './data-location';
import { LakeFormationGrantOptions, LakeFormationPermissions } from './lake-formation';
import { PropError, withConstructPath } from './private/errors';
import { DEFAULT_MAX_STALENESS, freshnessMetric, grantPutFreshnessMetric, validateMaxStaleness } from './private/freshness';
import { acknowledgeNagFindings } from './private/nag-acknowledgements';
import { grantQueryPermissions } from './private/permissions';
import { ChosenQueries, chooseQueries, resolveWatermark } from './private/queries';
import { renderQuery } from './private/query-template';
import { checkS3TablesProps, grantS3TablesTarget, ResolvedS3TablesTarget, resolveS3TablesTarget } from './private/s3-tables';
import { createSecureBucket } from './private/secure-bucket';
import { createMaintenanceRole, resolveMaintenance } from './private/table-maintenance';
import { normalizePrefix, validateGlueName, validateNonEmptyUnique, validateWorkGroupName } from './private/validation';
import { buildWorkflow, ResolvedWatermark } from './private/workflow';
import { TargetQueries } from './target-queries';
import { WatermarkOptions } from './watermark';

/** The key of the state machine's template metadata that the local runner reads. */
const LOCAL_RUN_METADATA_KEY = 'cdk-keep-data-up-to-date';

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
   * The Athena statement that creates the target table, usually a `CREATE TABLE … WITH (…) AS SELECT …`.
   *
   * Placeholders, substituted at synth time: `{{database}}`, `{{targetTable}}`,
   * `{{targetLocation}}` (the target's S3 URI, ending in `/`), `{{workGroup}}`, and
   * `{{sourceTable}}` when there is exactly one source table.
   *
   * @default - required unless `queries` is set
   */
  readonly createTargetQuery?: string;

  /**
   * The Athena statement that adds the source rows newer than the newest row in the target,
   * usually an `INSERT INTO … SELECT … WHERE …`. Same placeholders as `createTargetQuery`, and
   * with a `watermark`, `{{watermark}}` and `{{windowEnd}}`.
   *
   * @default - required unless `queries` is set
   */
  readonly updateTargetQuery?: string;

  /**
   * Reads the target's newest value before updating, and loads only newer source data, in
   * windows of at most 100 partitions. See `WatermarkOptions`.
   *
   * @default - no watermark step: the update query finds the newer rows itself
   */
  readonly watermark?: WatermarkOptions;

  /**
   * The statements, as templates or generated for the common case
   * (`TargetQueries.appendNewerRows(...)`). Replaces `createTargetQuery`, `updateTargetQuery`
   * and `watermark`. `TargetQueries.mergeNewerRowsIntoS3Table(...)` puts the target in a
   * namespace of an Amazon S3 table bucket instead of `targetDataLocation`.
   *
   * @default - `createTargetQuery`, `updateTargetQuery` and `watermark`
   */
  readonly queries?: TargetQueries;

  /**
   * When the workflow runs by itself, e.g. `scheduler.ScheduleExpression.rate(Duration.hours(1))`.
   *
   * @default - no schedule: start executions yourself
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * Whether an execution that finds another execution of the workflow running ends at once, so
   * that two executions never insert the same rows. It ends with status SUCCEEDED, in the state
   * "Skip: Another Execution Is Running", having loaded nothing. With a watermark, an execution
   * must also take a lock (a DynamoDB conditional write, `lockTable`) before it loads, a second
   * delivery of one scheduled start is rejected, and a Hive target partitioned by the watermark
   * gets its new partitions under a location of each execution's own, so that files a failed
   * window left are never read.
   *
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
   * Where the target table's data lives. The role may read and write objects under it, and
   * delete none. Not for an S3 Tables target (`TargetQueries.mergeNewerRowsIntoS3Table`), whose
   * data S3 Tables places itself.
   *
   * @default - a new encrypted bucket (`TargetBucket`, retained when the stack is deleted), prefix `<targetTableName>/`; none for an S3 Tables target
   */
  readonly targetDataLocation?: DataLocation;

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
   * that sets `external_location`: create an Iceberg target (`table_type = 'ICEBERG'`,
   * `location = '{{targetLocation}}'`, as `TargetQueries.mergeNewerRows` does), or use a
   * workgroup that does not enforce its configuration.
   *
   * @default - a new workgroup that encrypts results, publishes metrics and leaves each query's result configuration to the workflow, which sends the same location and encryption with every query (a workgroup that enforces its result location fails a Hive CTAS with `external_location`)
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
   * Not with an S3 Tables target: Athena runs no INSERT or MERGE on S3 Tables in a workgroup
   * that encrypts results with SSE-KMS.
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
   * @default - true for an Iceberg target (`TargetQueries.mergeNewerRows`, or a watermark with `targetTableType` ICEBERG); a Hive target has none, and true is then an error; an S3 Tables target (`TargetQueries.mergeNewerRowsIntoS3Table`) is maintained by S3, and true is then an error
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

/**
 * Keeps an Athena table up to date from source tables.
 *
 * Deploys a Step Functions workflow: **Get Target Table** (Glue `GetTable`); when the table
 * does not exist, **Create Target Table** (an Athena query); then **Update Target Table** (an
 * Athena query that adds the source rows newer than the target's newest row). The workflow's
 * role may touch only the tables, data locations and workgroup involved.
 */
export class KeepDataUpToDate extends Construct {
  /** The workflow. */
  public readonly stateMachine: sfn.StateMachine;
  /** The role the workflow runs as. */
  public readonly role: iam.IRole;
  /** The Athena workgroup the queries run in. */
  public readonly workGroupName: string;
  /** The workgroup, when the construct created it. */
  public readonly workGroup?: athena.CfnWorkGroup;
  /** The bucket that holds Athena query results. */
  public readonly resultsBucket: s3.IBucket;
  /** Where the target table's data lives; undefined for an S3 Tables target, whose data S3 Tables places. */
  public readonly targetDataLocation?: DataLocation;
  /** The log group the state machine logs to. */
  public readonly logGroup: logs.ILogGroup;
  /** The create statement, placeholders substituted. */
  public readonly createTargetQuery: string;
  /**
   * The update statement, placeholders substituted. With a watermark, `{{watermark}}` and
   * `{{windowEnd}}` stay: each execution writes the window's bounds there as SQL literals.
   */
  public readonly updateTargetQuery: string;
  /** The schedule that starts the workflow, when `schedule` is set. */
  public readonly schedule?: scheduler.Schedule;
  /** The alarm that goes off when an execution fails. */
  public readonly failedExecutionsAlarm: cloudwatch.Alarm;
  /**
   * With a watermark, the alarm that goes off when the target has lagged behind the source for
   * longer than `maxStaleness`.
   */
  public readonly freshnessAlarm?: cloudwatch.Alarm;
  /** With a watermark and `skipWhenRunning`, the table that holds the lock each loading execution takes. */
  public readonly lockTable?: dynamodb.ITable;
  /**
   * For a maintained Iceberg target (`icebergMaintenance`), the role the Glue table optimizers
   * run as: the only role that may delete the target's files.
   */
  public readonly maintenanceRole?: iam.IRole;
  private readonly tables: { databaseName: string; targetTableName: string; sourceTableNames: string[] };
  /** The table bucket namespace the target is in, for `TargetQueries.mergeNewerRowsIntoS3Table`. */
  private readonly s3Tables?: ResolvedS3TablesTarget;

  constructor(scope: Construct, id: string, props: KeepDataUpToDateProps) {
    super(scope, id);

    // A prop error names this construct's path, so that with several instances the message says which one.
    withConstructPath(this, () => validateProps(props));
    this.tables = { databaseName: props.databaseName, targetTableName: props.targetTableName, sourceTableNames: [...props.sourceTableNames] };
    this.s3Tables = props.queries?.s3TablesTarget && withConstructPath(this, () => resolveS3TablesTarget(this, props.queries!.s3TablesTarget!));
    const { target, sources: sourceDataLocations } = withConstructPath(this, () => this.locateData(props));
    this.targetDataLocation = target;
    const results = withConstructPath(this, () => this.createResultsStorage(props));
    this.resultsBucket = results.bucket;
    this.workGroup = props.workGroupName === undefined ? this.createWorkGroup(props, results) : undefined;
    this.workGroupName = this.workGroup?.ref ?? this.useExistingWorkGroup(props);
    const statements = withConstructPath(this, () => this.renderStatements(props));
    this.createTargetQuery = statements.createTargetQuery;
    this.updateTargetQuery = statements.updateTargetQuery;
    this.role = this.createRole(props, sourceDataLocations, results);
    this.logGroup = this.createLogGroup(props);
    this.lockTable = statements.watermark && (props.skipWhenRunning ?? true) ? this.createLockTable() : undefined;
    this.maintenanceRole = statements.maintenance && this.createMaintenanceRole(props);
    this.stateMachine = this.createStateMachine(props, statements, results);
    this.describeForLocalRuns(props);
    this.failedExecutionsAlarm = this.createFailedExecutionsAlarm(props);
    this.freshnessAlarm = statements.watermark && this.createFreshnessAlarm(props);
    this.schedule = props.schedule && this.createSchedule(props, props.schedule);
    acknowledgeNagFindings(this);
  }

  /**
   * Grants the workflow's role the Lake Formation permissions its queries need, for a data lake
   * that uses Lake Formation permissions: `DESCRIBE` and `CREATE_TABLE` on the database, and
   * `SELECT` and `DESCRIBE` on each source table (see `LakeFormationGrantOptions` for the
   * target table and a registered target location). For an S3 Tables target, whose table is in
   * its table bucket's catalog, which a CloudFormation grant cannot name, the grants are for the
   * sources only: `DESCRIBE` on the database and `SELECT` and `DESCRIBE` on each source table.
   *
   * The stack must be deployed by a principal allowed to grant these permissions.
   */
  public grantLakeFormationPermissions(options: LakeFormationGrantOptions = {}): LakeFormationPermissions {
    return new LakeFormationPermissions(this, 'LakeFormationPermissions', {
      ...options,
      role: this.role,
      maintenanceRole: this.maintenanceRole,
      ...this.tables,
      targetDataLocation: this.targetDataLocation,
      targetInS3Tables: this.s3Tables !== undefined,
    });
  }

  /**
   * Allows a principal to start executions of the workflow.
   */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /**
   * The number of executions that failed.
   *
   * @default - sum over 5 minutes
   */
  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  /**
   * The number of executions that succeeded.
   *
   * @default - sum over 5 minutes
   */
  public metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricSucceeded(props);
  }

  /** Where the target's data goes (a new bucket unless given), and the source locations, normalized. */
  private locateData(props: KeepDataUpToDateProps): { target?: DataLocation; sources: DataLocation[] } {
    const target = this.s3Tables ? undefined : props.targetDataLocation
      ? { bucket: props.targetDataLocation.bucket, prefix: normalizePrefix('targetDataLocation.prefix', props.targetDataLocation.prefix) }
      : {
        bucket: createSecureBucket(this, 'TargetBucket', { serverAccessLogsBucket: props.serverAccessLogsBucket }),
        prefix: `${props.targetTableName}/`,
      };
    const sourceDataLocations = (props.sourceDataLocations ?? []).map((location, i) => ({
      bucket: location.bucket,
      prefix: normalizePrefix(`sourceDataLocations[${i}].prefix`, location.prefix),
    }));
    if (sourceDataLocations.length === 0) {
      Annotations.of(this).addWarningV2(
        'cdk-keep-data-up-to-date:noSourceDataLocations',
        'sourceDataLocations is not set: the workflow\'s role may read no source data, so its queries will fail with Access Denied. Name the S3 locations of the source tables.',
      );
    }
    return { target, sources: sourceDataLocations };
  }

  /** The bucket and prefix for query results, and how every query's results are encrypted. */
  private createResultsStorage(props: KeepDataUpToDateProps): ResultsStorage {
    const bucket = props.resultsBucket ?? createSecureBucket(this, 'ResultsBucket', {
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      expiration: props.resultsExpiration ?? DEFAULT_RESULTS_EXPIRATION,
    });
    const prefix = normalizePrefix('resultsPrefix', props.resultsPrefix ?? 'athena-results/');
    return { bucket, prefix, uri: `s3://${bucket.bucketName}/${prefix}`, key: props.resultsEncryptionKey };
  }

  /**
   * A workgroup of the workflow's own. It does not enforce its configuration: Athena fails a
   * Hive CTAS that sets `external_location` in a workgroup that enforces its result location
   * (https://docs.aws.amazon.com/athena/latest/ug/workgroups-troubleshooting.html), and the
   * target's data belongs under `targetDataLocation`, not under the query results. Every query
   * of the workflow sends the same result location and encryption itself, so nothing is lost;
   * the bytes-scanned cutoff applies to each query that runs in the workgroup either way
   * (https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html).
   */
  private createWorkGroup(props: KeepDataUpToDateProps, results: ResultsStorage): athena.CfnWorkGroup {
    return new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: `Runs the queries that keep ${props.databaseName}.${props.targetTableName} up to date`,
      state: 'ENABLED',
      // The workgroup only ever holds this workflow's query history.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: false,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery?.toBytes(),
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: results.uri,
          encryptionConfiguration: results.key
            ? { encryptionOption: 'SSE_KMS', kmsKey: results.key.keyArn }
            : { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }

  private useExistingWorkGroup(props: KeepDataUpToDateProps): string {
    if (!props.resultsBucket) {
      Annotations.of(this).addWarningV2(
        'cdk-keep-data-up-to-date:existingWorkGroupResults',
        `Queries in workgroup '${props.workGroupName}' write their results to the bucket this construct creates. If that workgroup enforces a result location of its own, set resultsBucket and resultsPrefix to it, or the role may not write there.`,
      );
    }
    return props.workGroupName!;
  }

  /** The create and update statements with their placeholders substituted, and the watermark. */
  private renderStatements(props: KeepDataUpToDateProps): Statements {
    const placeholders: Record<string, string> = {
      database: props.databaseName,
      targetTable: props.targetTableName,
      workGroup: this.workGroupName,
      ...(this.s3Tables
        ? { targetCatalog: this.s3Tables.catalogName, targetNamespace: this.s3Tables.namespace }
        : { targetLocation: locationUri(this.targetDataLocation!) }),
    };
    if (props.sourceTableNames.length === 1) placeholders.sourceTable = props.sourceTableNames[0];
    const { createTargetQuery, updateTargetQuery, watermark, propName } = chooseQueries(props);
    const resolved = watermark && resolveWatermark(watermark, props.sourceTableNames, propName);
    // Athena's guide does not say that an S3 table has `$partitions`: its newest value is read from its rows.
    const resolvedWatermark = resolved && this.s3Tables ? { ...resolved, icebergPartitionMetadata: false } : resolved;
    const statements: Statements = {
      createTargetQuery: renderQuery(propName('createTargetQuery'), createTargetQuery, placeholders),
      updateTargetQuery: renderQuery(propName('updateTargetQuery'), updateTargetQuery, placeholders, resolvedWatermark ? ['watermark', 'windowEnd'] : []),
      watermark: resolvedWatermark,
      // A Hive target partitioned by the watermark has the partitions a lookback loads again
      // emptied first; any other target needs an update that is idempotent on its own.
      rewritesPartitions: !!resolvedWatermark && resolvedWatermark.lookbackPartitions > 0 && resolvedWatermark.targetPartitionMetadata,
      // S3 maintains the tables of a table bucket itself (see checkS3TablesProps).
      maintenance: this.s3Tables
        ? undefined
        : resolveMaintenance({ icebergMaintenance: props.icebergMaintenance, snapshotRetention: props.snapshotRetention, watermark }),
    };
    this.warnOfUnsafeCombinations(props, { createTargetQuery, updateTargetQuery, propName }, statements);
    return statements;
  }

  /**
   * Warnings, each with an id a user can acknowledge (`Annotations.of(construct).acknowledgeWarning(id)`),
   * for combinations of props that deploy but that the README calls unsafe.
   */
  private warnOfUnsafeCombinations(
    props: KeepDataUpToDateProps,
    templates: Pick<ChosenQueries, 'createTargetQuery' | 'updateTargetQuery' | 'propName'>,
    statements: Statements,
  ): void {
    const warn = (id: string, message: string) => Annotations.of(this).addWarningV2(`cdk-keep-data-up-to-date:${id}`, message);
    const create = Token.isUnresolved(templates.createTargetQuery) ? undefined : templates.createTargetQuery;
    const createProp = templates.propName('createTargetQuery');
    if (create !== undefined && !this.s3Tables && !/\{\{\s*targetLocation\s*\}\}/.test(create)) {
      warn('createWithoutTargetLocation',
        `${createProp} does not use {{targetLocation}}: a CTAS without external_location writes the table's data under the query-results prefix, where the role's grants and the results expiration do not fit table data. Add external_location = '{{targetLocation}}'.`);
    }
    if (create !== undefined && props.workGroupName !== undefined && /\bexternal_location\s*=/i.test(create)) {
      warn('externalLocationInExistingWorkGroup',
        `${createProp} sets external_location, and Athena fails such a CTAS in a workgroup that enforces its result location ("Override client-side settings"). If workgroup '${props.workGroupName}' does, create an Iceberg target (location = '{{targetLocation}}') or turn that setting off.`);
    }
    const watermark = statements.watermark;
    if (watermark && watermark.lookbackPartitions > 0 && !statements.rewritesPartitions && !/^\s*MERGE\s/i.test(templates.updateTargetQuery)) {
      warn('lookbackWithoutMerge',
        `${templates.propName('watermark.lookbackPartitions')} loads the target's ${watermark.lookbackPartitions} newest partitions again on every run, but ${templates.propName('updateTargetQuery')} is not a MERGE: unless it is idempotent, those rows are inserted twice.`);
    }
    if (this.s3Tables && props.workGroupName !== undefined) {
      warn('s3TablesInExistingWorkGroup',
        `The target is an S3 table, and Athena runs no INSERT, UPDATE, DELETE or MERGE on S3 Tables in a workgroup that encrypts query results with SSE-KMS or CSE-KMS, nor any DML in one with Requester Pays on. If workgroup '${props.workGroupName}' does, every update fails: use a workgroup that encrypts results with SSE-S3, or leave workGroupName unset.`);
    }
    if (props.schedule && props.skipWhenRunning === false) {
      warn('scheduleWithoutGuard',
        'schedule starts executions by itself while skipWhenRunning is false: an execution that starts while the previous one still runs loads the same rows again, and they are inserted twice. Leave skipWhenRunning at its default (true).');
    }
  }

  /** The role the Glue table optimizers of an Iceberg target run as (see `createMaintenanceRole`). */
  private createMaintenanceRole(props: KeepDataUpToDateProps): iam.IRole {
    const target = this.targetDataLocation!;
    return createMaintenanceRole(this, { databaseName: props.databaseName, targetTableName: props.targetTableName, target });
  }

  /** The role the workflow runs as, allowed exactly what its queries need. */
  private createRole(props: KeepDataUpToDateProps, sourceDataLocations: DataLocation[], results: ResultsStorage): iam.IRole {
    const role = new iam.Role(this, 'Role', {
      description: `Runs the workflow that keeps ${props.databaseName}.${props.targetTableName} up to date`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    grantQueryPermissions(this, role, {
      ...this.tables,
      targetDataLocation: this.targetDataLocation,
      sourceDataLocations,
      resultsLocation: { bucket: results.bucket, prefix: results.prefix },
      workGroupName: this.workGroupName,
      resultsEncryptionKey: results.key,
    });
    if (this.s3Tables) grantS3TablesTarget(this, role, this.s3Tables, props.targetTableName);
    return role;
  }

  private createLogGroup(props: KeepDataUpToDateProps): logs.ILogGroup {
    return new logs.LogGroup(this, 'LogGroup', {
      // The vendedlogs prefix keeps Step Functions from growing the account's log resource policy.
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 400, separator: '-' })}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });
  }

  /** Named, so the guard, the lock and the freshness metric can name it without a circular reference. */
  private stateMachineName(): string {
    return Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
  }

  private createStateMachine(props: KeepDataUpToDateProps, statements: Statements, results: ResultsStorage): sfn.StateMachine {
    const stateMachineName = this.stateMachineName();
    const definition = buildWorkflow(this, {
      databaseName: props.databaseName,
      targetTableName: props.targetTableName,
      workGroupName: this.workGroupName,
      // Every query names its result location; in the construct's own workgroup, its encryption too.
      resultConfiguration: { outputLocation: results.uri, kmsKeyArn: results.key?.keyArn, sendEncryption: this.workGroup !== undefined },
      createTargetQuery: statements.createTargetQuery,
      updateTargetQuery: statements.updateTargetQuery,
      watermark: statements.watermark,
      s3TablesTarget: this.s3Tables,
      rewriteLocation: statements.rewritesPartitions ? { bucket: this.targetDataLocation!.bucket, prefix: this.targetDataLocation!.prefix ?? '' } : undefined,
      stateMachineArnForGuard: (props.skipWhenRunning ?? true)
        ? Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })
        : undefined,
      stateMachineName,
      lockTable: this.lockTable,
      role: this.role,
      reportFreshness: statements.watermark !== undefined,
      // A Hive target partitioned by the watermark, whose partitions no lookback rewrites in place.
      executionLocationsUnder: this.lockTable && statements.watermark?.targetPartitionMetadata && !statements.rewritesPartitions
        ? locationUri(this.targetDataLocation!)
        : undefined,
      maintenance: statements.maintenance && this.maintenanceRole && {
        databaseName: props.databaseName,
        targetTableName: props.targetTableName,
        maintenanceRole: this.maintenanceRole,
        targetLocation: locationUri(this.targetDataLocation!),
        snapshotRetentionDays: statements.maintenance.snapshotRetentionDays,
        workflowRole: this.role,
      },
    });
    return new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      comment: `Keeps ${props.databaseName}.${props.targetTableName} up to date`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      role: this.role,
      timeout: props.timeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: props.logLevel ?? sfn.LogLevel.ERROR, includeExecutionData: false },
    });
  }

  /**
   * Marks the state machine in the template, so that the local runner (cdk-keep-data-up-to-date-local)
   * finds each instance in a cloud assembly by its construct path and knows its tables. A resource's
   * `Metadata` attribute holds structured data that CloudFormation does not validate
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-metadata.html).
   */
  private describeForLocalRuns(props: KeepDataUpToDateProps): void {
    (this.stateMachine.node.defaultChild as sfn.CfnStateMachine).addMetadata(LOCAL_RUN_METADATA_KEY, {
      constructPath: this.node.path,
      databaseName: props.databaseName,
      targetTableName: props.targetTableName,
      sourceTableNames: [...props.sourceTableNames],
    });
  }

  /**
   * The lock's table: two items (the lock and the newest scheduled start), read and written a
   * few times per execution, so on-demand capacity costs next to nothing. It holds nothing worth
   * keeping once the workflow is gone.
   */
  private createLockTable(): dynamodb.ITable {
    // Encrypted at rest with a key DynamoDB owns, at no charge.
    return new dynamodb.Table(this, 'LockTable', {
      partitionKey: { name: 'LockName', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /**
   * The freshness alarm: each execution publishes how many source values are newer than the
   * target's newest; the alarm goes off when the lowest value over `maxStaleness` is above 0, or
   * no execution published one (a stopped schedule stalls the target too).
   */
  private createFreshnessAlarm(props: KeepDataUpToDateProps): cloudwatch.Alarm {
    const maxStaleness = props.maxStaleness ?? DEFAULT_MAX_STALENESS;
    grantPutFreshnessMetric(this.role);
    const alarm = freshnessMetric(this.stateMachineName(), maxStaleness).createAlarm(this, 'FreshnessAlarm', {
      alarmDescription: `${props.databaseName}.${props.targetTableName} has lagged behind its source for longer than ${maxStaleness.toHumanString()}`,
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    return notifyTopic(alarm, props.alarmTopic);
  }

  private createFailedExecutionsAlarm(props: KeepDataUpToDateProps): cloudwatch.Alarm {
    const alarm = this.metricFailed({ period: Duration.minutes(5) }).createAlarm(this, 'FailedExecutionsAlarm', {
      alarmDescription: `An execution of the workflow that keeps ${props.databaseName}.${props.targetTableName} up to date failed`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return notifyTopic(alarm, props.alarmTopic);
  }

  private createSchedule(props: KeepDataUpToDateProps, schedule: scheduler.ScheduleExpression): scheduler.Schedule {
    return new scheduler.Schedule(this, 'Schedule', {
      description: `Starts the workflow that keeps ${props.databaseName}.${props.targetTableName} up to date`,
      schedule,
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        // A missed start is made up by the next one: every run loads all newer data.
        retryAttempts: 0,
        // The lock rejects a second delivery of the same scheduled time.
        input: this.lockTable ? scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }) : undefined,
      }),
    });
  }
}

const DEFAULT_RESULTS_EXPIRATION = Duration.days(30);

/** A data location's `s3://` URI, ending in `/`. */
function locationUri(location: DataLocation): string {
  return `s3://${location.bucket.bucketName}/${location.prefix ?? ''}`;
}

/** Has an alarm notify the user's topic, when there is one. */
function notifyTopic(alarm: cloudwatch.Alarm, topic: sns.ITopic | undefined): cloudwatch.Alarm {
  if (topic) alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  return alarm;
}

/** Where query results go. */
interface ResultsStorage {
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly uri: string;
  /** The key the construct's workgroup encrypts results with (SSE-KMS); SSE-S3 without. */
  readonly key?: kms.IKey;
}

/** The statements the workflow runs, placeholders substituted. */
interface Statements {
  readonly createTargetQuery: string;
  readonly updateTargetQuery: string;
  readonly watermark?: ResolvedWatermark;
  readonly rewritesPartitions: boolean;
  /** For a maintained Iceberg target, how long its snapshots are kept. */
  readonly maintenance?: { readonly snapshotRetentionDays: number };
}

/** Checks the props that need no construct: names, combinations and limits. */
function validateProps(props: KeepDataUpToDateProps): void {
  validateGlueName('databaseName', props.databaseName);
  validateGlueName('targetTableName', props.targetTableName);
  validateNonEmptyUnique('sourceTableNames', props.sourceTableNames);
  props.sourceTableNames.forEach((name, i) => validateGlueName(`sourceTableNames[${i}]`, name));
  if (props.sourceTableNames.includes(props.targetTableName)) {
    throw new PropError(`sourceTableNames must not include the target table '${props.targetTableName}'`);
  }
  if (props.workGroupName !== undefined) {
    validateWorkGroupName('workGroupName', props.workGroupName);
    for (const [name, value] of Object.entries({
      bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
      resultsEncryptionKey: props.resultsEncryptionKey,
    })) {
      if (value !== undefined) {
        throw new PropError(`${name} configures the workgroup the construct creates; it cannot be combined with workGroupName ('${props.workGroupName}')`);
      }
    }
  }
  if (props.queries?.s3TablesTarget) checkS3TablesProps(props);
  if (props.maxStaleness !== undefined) {
    if (!(props.watermark ?? props.queries?.watermark)) {
      throw new PropError('maxStaleness sets the freshness alarm, which needs a watermark: set watermark, or queries with one');
    }
    validateMaxStaleness(props.maxStaleness);
  }
  if (props.resultsBucket && props.resultsExpiration) {
    throw new PropError('resultsExpiration applies to the results bucket the construct creates; set a lifecycle rule on resultsBucket instead');
  }
  const cutoff = props.bytesScannedCutoffPerQuery?.toBytes();
  if (cutoff !== undefined && !Token.isUnresolved(cutoff) && cutoff < Size.mebibytes(10).toBytes()) {
    throw new PropError(`bytesScannedCutoffPerQuery must be at least 10 MB, Athena's minimum (got ${cutoff} bytes)`);
  }
  const resultsExpiration = props.resultsExpiration ?? DEFAULT_RESULTS_EXPIRATION;
  if (!Token.isUnresolved(resultsExpiration.toSeconds()) && resultsExpiration.toDays({ integral: false }) < 1) {
    throw new PropError(`resultsExpiration must be at least one day (got ${resultsExpiration.toHumanString()})`);
  }
}
