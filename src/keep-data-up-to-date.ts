import { ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DataLocation } from './data-location';
import { KeepDataUpToDateProps } from './keep-data-up-to-date-props';
import { LakeFormationGrantOptions, LakeFormationPermissions } from './lake-formation';
import { createFailedExecutionsAlarm, createFreshnessAlarm } from './private/alarms';
import { fail } from './private/errors';
import { freshnessMetric } from './private/freshness';
import { acknowledgeNagFindings } from './private/nag-acknowledgements';
import { grantQueryPermissions } from './private/permissions';
import { createResultsStorage, createWorkGroup, ResultsStorage, useExistingWorkGroup } from './private/query-storage';
import { grantReadTargetTable } from './private/read-grants';
import { resolveProps, ResolvedProps } from './private/resolved-props';
import { grantS3TablesTarget, ResolvedS3TablesTarget, resolveS3TablesTarget } from './private/s3-tables';
import { createSecureBucket } from './private/secure-bucket';
import { resolveStatements, Statements } from './private/statements';
import { createMaintenanceRole } from './private/table-maintenance';
import { normalizePrefix } from './private/validation';
import { warnOfUnsafeCombinations } from './private/warnings';
import { buildWorkflow } from './private/workflow';

/** The key of the state machine's template metadata that the local runner reads. */
const LOCAL_RUN_METADATA_KEY = 'cdk-keep-data-up-to-date';

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
  /** Where the target table's data lives; undefined for an S3 table, whose data S3 Tables places. */
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
  /** With a watermark and `singleWriter`, the table that holds the lock each loading execution takes. */
  public readonly lockTable?: dynamodb.ITable;
  /**
   * For a maintained Iceberg target (`icebergMaintenance`), the role the Glue table optimizers
   * run as: the only role that may delete the target's files.
   */
  public readonly maintenanceRole?: iam.IRole;
  private readonly props: ResolvedProps;
  private readonly statements: Statements;
  /** The table bucket namespace the target is in, for `TargetStorage.s3Table`. */
  private readonly s3Table?: ResolvedS3TablesTarget;
  private lakeFormationPermissions?: LakeFormationPermissions;

  constructor(scope: Construct, id: string, props: KeepDataUpToDateProps) {
    super(scope, id);

    this.props = resolveProps(this, props);
    this.s3Table = this.props.target.s3TablesTarget && resolveS3TablesTarget(this, this.props.target.s3TablesTarget);
    this.targetDataLocation = this.s3Table ? undefined : this.locateTarget();
    const results = createResultsStorage(this, this.props);
    this.resultsBucket = results.bucket;
    this.workGroup = this.props.workGroupName === undefined ? createWorkGroup(this, this.props, results) : undefined;
    this.workGroupName = this.workGroup?.ref ?? useExistingWorkGroup(this, this.props);
    this.statements = resolveStatements(this, this.props, {
      workGroupName: this.workGroupName,
      targetLocation: this.targetDataLocation && locationUri(this.targetDataLocation),
      s3Table: this.s3Table,
    });
    this.createTargetQuery = this.statements.createTargetQuery;
    this.updateTargetQuery = this.statements.updateTargetQuery;
    warnOfUnsafeCombinations(this, this.props, this.statements);
    this.role = this.createRole(results);
    this.logGroup = this.createLogGroup();
    this.lockTable = this.statements.watermark && this.props.singleWriter ? this.createLockTable() : undefined;
    this.maintenanceRole = this.statements.maintenance && this.createMaintenanceRole();
    this.stateMachine = this.createStateMachine(results);
    this.describeForLocalRuns();
    this.failedExecutionsAlarm = createFailedExecutionsAlarm(this, this.metricFailed({ period: Duration.minutes(5) }), this.props);
    this.freshnessAlarm = this.statements.watermark && createFreshnessAlarm(this, this.metricSourceValuesNotLoaded(), this.role, this.props);
    this.schedule = this.props.schedule && this.createSchedule(this.props.schedule);
    acknowledgeNagFindings(this);
  }

  /**
   * Grants the workflow's role the Lake Formation permissions its queries need, for a data lake
   * that uses Lake Formation permissions: `DESCRIBE` and `CREATE_TABLE` on the database, and
   * `SELECT` and `DESCRIBE` on each source table (see `LakeFormationGrantOptions` for the target
   * table and a registered target location). For an S3 table target, whose table is in its table
   * bucket's catalog, which a CloudFormation grant cannot name, the grants are for the sources only.
   *
   * Call it again with more options to add their grants: every call returns the same
   * `LakeFormationPermissions`. The stack must be deployed by a principal allowed to grant these
   * permissions.
   */
  public grantLakeFormationPermissions(options: LakeFormationGrantOptions = {}): LakeFormationPermissions {
    if (this.lakeFormationPermissions) {
      this.lakeFormationPermissions.addGrants(options);
      return this.lakeFormationPermissions;
    }
    this.lakeFormationPermissions = new LakeFormationPermissions(this, 'LakeFormationPermissions', {
      ...options,
      role: this.role,
      maintenanceRole: this.maintenanceRole,
      databaseName: this.props.databaseName,
      targetTableName: this.props.targetTableName,
      sourceTableNames: [...this.props.sourceTableNames],
      targetDataLocation: this.targetDataLocation,
      targetInS3Tables: this.s3Table !== undefined,
    });
    return this.lakeFormationPermissions;
  }

  /**
   * Allows a principal to read the target table, and nothing else: its Glue database and table
   * and the objects under its location (with the bucket's key, when it names one), or for an S3
   * table, the S3 Tables reads of that one table. Querying it with Athena also needs a workgroup
   * and a results location of the reader's own.
   */
  public grantReadTargetTable(grantee: iam.IGrantable): iam.Grant {
    return grantReadTargetTable(this, grantee, {
      databaseName: this.props.databaseName,
      targetTableName: this.props.targetTableName,
      dataLocation: this.targetDataLocation,
      s3Table: this.s3Table,
    });
  }

  /**
   * Allows a principal to start executions of the workflow.
   */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /**
   * How many source values (partitions) newer than the target's newest the last executions
   * found: the freshness metric the workflow publishes, which `freshnessAlarm` watches. Needs a watermark.
   *
   * @default - minimum over `maxStaleness`
   */
  public metricSourceValuesNotLoaded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.statements.watermark) {
      fail(this, 'NoWatermark', 'metricSourceValuesNotLoaded reads the freshness metric, which only a workflow with a watermark publishes: set a watermark (for example TargetQueries.appendNewerRows)');
    }
    return freshnessMetric(this.stateMachineName(), this.props.maxStaleness).with(props ?? {});
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

  /**
   * The number of executions that timed out (`timeout`).
   *
   * @default - sum over 5 minutes
   */
  public metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTimedOut(props);
  }

  /**
   * The number of executions that were stopped.
   *
   * @default - sum over 5 minutes
   */
  public metricAborted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricAborted(props);
  }

  /**
   * How long executions took, in milliseconds.
   *
   * @default - average over 5 minutes
   */
  public metricTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTime(props);
  }

  /** The target's location: the user's, normalized, or a prefix of a new bucket. */
  private locateTarget(): DataLocation {
    const given = this.props.target.dataLocation;
    if (given) {
      const name = this.props.targetDataLocation ? 'targetDataLocation.prefix' : 'target (TargetStorage.s3: prefix)';
      return { bucket: given.bucket, prefix: normalizePrefix(this, name, given.prefix) };
    }
    const bucket = createSecureBucket(this, 'TargetBucket', {
      serverAccessLogsBucket: this.props.serverAccessLogsBucket,
      removalPolicy: this.props.removalPolicy,
    });
    const prefix = this.props.target.prefixInNewBucket;
    return { bucket, prefix: prefix === undefined ? `${this.props.targetTableName}/` : normalizePrefix(this, 'target (TargetStorage.s3: prefix)', prefix) };
  }

  /** The role the Glue table optimizers of an Iceberg target run as (see `createMaintenanceRole`). */
  private createMaintenanceRole(): iam.IRole {
    const { databaseName, targetTableName } = this.props;
    return createMaintenanceRole(this, { databaseName, targetTableName, target: this.targetDataLocation! });
  }

  /** The role the workflow runs as, allowed exactly what its queries need. */
  private createRole(results: ResultsStorage): iam.IRole {
    const { databaseName, targetTableName, sourceTableNames } = this.props;
    const role = new iam.Role(this, 'Role', {
      description: `Runs the workflow that keeps ${databaseName}.${targetTableName} up to date`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    grantQueryPermissions(this, role, {
      databaseName,
      targetTableName,
      sourceTableNames,
      targetDataLocation: this.targetDataLocation,
      sourceDataLocations: this.props.sourceDataLocations,
      resultsLocation: { bucket: results.bucket, prefix: results.prefix },
      workGroupName: this.workGroupName,
      resultsEncryptionKey: results.key,
    });
    if (this.s3Table) grantS3TablesTarget(this, role, this.s3Table, targetTableName);
    return role;
  }

  private createLogGroup(): logs.ILogGroup {
    return new logs.LogGroup(this, 'LogGroup', {
      // The vendedlogs prefix keeps Step Functions from growing the account's log resource policy.
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 400, separator: '-' })}`,
      retention: this.props.logRetention,
      removalPolicy: this.props.removalPolicy,
    });
  }

  /** Named, so the guard, the lock and the freshness metric can name it without a circular reference. */
  private stateMachineName(): string {
    return Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
  }

  private createStateMachine(results: ResultsStorage): sfn.StateMachine {
    const { databaseName, targetTableName } = this.props;
    const statements = this.statements;
    const stateMachineName = this.stateMachineName();
    const definition = buildWorkflow(this, {
      databaseName,
      targetTableName,
      workGroupName: this.workGroupName,
      // Every query names its result location; in the construct's own workgroup, its encryption too.
      resultConfiguration: { outputLocation: results.uri, kmsKeyArn: results.key?.keyArn, sendEncryption: this.workGroup !== undefined },
      createTargetQuery: statements.createTargetQuery,
      updateTargetQuery: statements.updateTargetQuery,
      watermark: statements.watermark,
      s3TablesTarget: this.s3Table,
      rewriteLocation: statements.rewritesPartitions ? { bucket: this.targetDataLocation!.bucket, prefix: this.targetDataLocation!.prefix ?? '' } : undefined,
      stateMachineArnForGuard: this.props.singleWriter
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
        databaseName,
        targetTableName,
        maintenanceRole: this.maintenanceRole,
        targetLocation: locationUri(this.targetDataLocation!),
        snapshotRetentionDays: statements.maintenance.snapshotRetentionDays,
        workflowRole: this.role,
      },
    });
    return new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      comment: `Keeps ${databaseName}.${targetTableName} up to date`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      role: this.role,
      timeout: this.props.timeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: this.props.logLevel, includeExecutionData: false },
    });
  }

  /**
   * Marks the state machine in the template, so that the local runner finds each instance in a
   * cloud assembly by its construct path and knows its tables. CloudFormation does not validate
   * a resource's `Metadata` (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-metadata.html).
   */
  private describeForLocalRuns(): void {
    (this.stateMachine.node.defaultChild as sfn.CfnStateMachine).addMetadata(LOCAL_RUN_METADATA_KEY, {
      constructPath: this.node.path,
      databaseName: this.props.databaseName,
      targetTableName: this.props.targetTableName,
      sourceTableNames: [...this.props.sourceTableNames],
    });
  }

  /**
   * The lock's table: two items (the lock and the newest scheduled start), read and written a
   * few times per execution, so on-demand capacity costs next to nothing.
   */
  private createLockTable(): dynamodb.ITable {
    // Encrypted at rest with a key DynamoDB owns, at no charge.
    return new dynamodb.Table(this, 'LockTable', {
      partitionKey: { name: 'LockName', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: this.props.removalPolicy,
    });
  }

  private createSchedule(schedule: scheduler.ScheduleExpression): scheduler.Schedule {
    return new scheduler.Schedule(this, 'Schedule', {
      description: `Starts the workflow that keeps ${this.props.databaseName}.${this.props.targetTableName} up to date`,
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

/** A data location's `s3://` URI, ending in `/`. */
function locationUri(location: DataLocation): string {
  return `s3://${location.bucket.bucketName}/${location.prefix ?? ''}`;
}
