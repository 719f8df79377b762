import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, IConstruct } from 'constructs';
import { fail } from './errors';
import { glueTableArns } from './glue-arns';
import { acknowledgeMaintenanceWildcards } from './nag-acknowledgements';
import { DataLocation } from '../data-location';
import { TargetTableType, WatermarkOptions } from '../watermark';
import { retryTransient } from './retry';

/**
 * How long snapshots are kept when `snapshotRetention` is not set: AWS Glue's own default for
 * the retention optimizer (`snapshotRetentionPeriodInDays`, 5 days;
 * https://docs.aws.amazon.com/glue/latest/webapi/API_IcebergRetentionConfiguration.html).
 */
export const DEFAULT_SNAPSHOT_RETENTION = Duration.days(5);

/**
 * How old an unreferenced file must be before orphan-file deletion removes it: Glue's default
 * (`orphanFileRetentionPeriodInDays`, 3 days). A query that is still writing has files no
 * snapshot names yet; none runs for days.
 */
export const ORPHAN_FILE_RETENTION_DAYS = 3;

/**
 * The three optimizers, in the order the workflow creates them: the last one's presence means all
 * exist. Retention comes last because it is also the one whose configuration the workflow keeps
 * in step with `snapshotRetention`.
 */
export const OPTIMIZER_TYPES = ['compaction', 'orphan_file_deletion', 'retention'] as const;

/**
 * Where Get Maintenance puts the retention optimizer's configuration in the state's data. The
 * whole configuration is kept, not its members: `RetentionConfiguration` is optional in Glue's
 * `TableOptimizerConfiguration`, and a path that is missing would fail the state.
 */
const RETENTION_PATH = '$.maintenance.retention';

/**
 * The log groups the optimizers write to, named by AWS Glue
 * (https://docs.aws.amazon.com/glue/latest/dg/optimization-prerequisites.html).
 */
const OPTIMIZER_LOG_GROUPS = ['/aws-glue/iceberg-compaction/logs', '/aws-glue/iceberg-retention/logs', '/aws-glue/iceberg-orphan-file-deletion/logs'];

/** The props that decide whether, and how, the target is maintained. */
export interface MaintenanceChoice {
  readonly icebergMaintenance?: boolean;
  readonly snapshotRetention?: Duration;
  /** The watermark in effect (from `watermark` or `queries`), which says whether the target is Iceberg. */
  readonly watermark?: WatermarkOptions;
}

/**
 * The snapshot retention in days when the target is maintained, or undefined. Maintenance is on
 * by default for an Iceberg target; the Glue table optimizers take Iceberg tables only
 * (https://docs.aws.amazon.com/glue/latest/dg/table-optimizers.html), so it cannot be asked
 * for a Hive target.
 */
export function resolveMaintenance(scope: IConstruct, choice: MaintenanceChoice): { snapshotRetentionDays: number } | undefined {
  const iceberg = choice.watermark?.targetTableType === TargetTableType.ICEBERG;
  if (choice.icebergMaintenance === true && !iceberg) {
    fail(scope, 'UnsupportedTargetStorage', 'icebergMaintenance turns on the Glue table optimizers, which take Iceberg tables only: use TargetQueries.mergeNewerRows, or a watermark with targetTableType ICEBERG');
  }
  const maintained = iceberg && choice.icebergMaintenance !== false;
  if (!maintained) {
    if (choice.snapshotRetention !== undefined) {
      fail(scope, 'ConflictingProps', 'snapshotRetention configures the maintenance of an Iceberg target; it needs an Iceberg target with icebergMaintenance left on');
    }
    return undefined;
  }
  return { snapshotRetentionDays: snapshotRetentionDays(scope, choice.snapshotRetention) };
}

/** A whole number of days from 1, or an error naming `snapshotRetention`. */
export function snapshotRetentionDays(scope: IConstruct, retention: Duration | undefined): number {
  const value = retention ?? DEFAULT_SNAPSHOT_RETENTION;
  if (Token.isUnresolved(value.toSeconds())) return value.toDays();
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    fail(scope, 'InvalidDuration', `snapshotRetention must be a whole number of days, 1 or more (got ${value.toHumanString()})`);
  }
  return days;
}

export interface MaintenanceRoleProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  /** The target's data location: the only place the role may write or delete. */
  readonly target: DataLocation;
}

/**
 * The role the Glue table optimizers run as, with the inline policy AWS Glue documents for them
 * (see docs/athena-rules.md rule 17), narrowed to this
 * table: object reads, writes and deletes under the target's prefix only, `ListBucket` on its
 * bucket, `GetTable`/`UpdateTable` on the target table, and the optimizers' log groups.
 * Compaction writes new files and snapshot retention deletes expired ones; orphan-file deletion
 * deletes files no snapshot names. These deletes are this role's alone: the workflow's role may
 * only create the optimizers and pass this role to Glue.
 */
export function createMaintenanceRole(scope: Construct, props: MaintenanceRoleProps): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'MaintenanceRole', {
    description: `Runs the AWS Glue table optimizers (compaction, snapshot retention, orphan-file deletion) of ${props.databaseName}.${props.targetTableName}`,
    assumedBy: new iam.ServicePrincipal('glue.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  });
  const prefix = props.target.prefix ?? '';
  const objects = props.target.bucket.arnForObjects(`${prefix}*`);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    resources: [objects],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['s3:ListBucket'],
    resources: [props.target.bucket.bucketArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['glue:GetTable', 'glue:UpdateTable'],
    resources: glueTableArns(scope, props.databaseName, props.targetTableName),
  }));
  const logGroups = OPTIMIZER_LOG_GROUPS.map((name) => `${stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME })}:*`);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: logGroups,
  }));
  // Glue's page is silent on keys; reading and writing SSE-KMS objects needs these two on the bucket's key.
  props.target.bucket.encryptionKey?.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
  acknowledgeMaintenanceWildcards(role, objects, logGroups);
  return role;
}

export interface EnableMaintenanceProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  /** The role the optimizers run as (see `createMaintenanceRole`). */
  readonly maintenanceRole: iam.IRole;
  /** The target's location, an `s3://` URI: where orphan-file deletion looks. */
  readonly targetLocation: string;
  readonly snapshotRetentionDays: number;
  /** The workflow's role, allowed to pass `maintenanceRole` to Glue and nothing more of it. */
  readonly workflowRole: iam.IRole;
}

/**
 * Turns on the target's Glue table optimizers once, and keeps the retention optimizer's period in
 * step with `snapshotRetention`: **Get Maintenance** asks Glue for the last of the three
 * (`GetTableOptimizer`, https://docs.aws.amazon.com/glue/latest/webapi/API_GetTableOptimizer.html).
 *
 * - When Glue answers `EntityNotFoundException`, **Enable Compaction**, **Enable Orphan File
 *   Deletion** and **Enable Snapshot Retention** create them (`CreateTableOptimizer`
 *   https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTableOptimizer.html), each going on
 *   past `AlreadyExistsException`, so an execution that stopped halfway is finished by the next,
 *   and two executions that race both succeed.
 * - When it exists with another retention period (the prop changed since it was created),
 *   **Update Snapshot Retention** sets the period (`UpdateTableOptimizer`
 *   https://docs.aws.amazon.com/glue/latest/webapi/API_UpdateTableOptimizer.html), keeping its
 *   `Enabled` flag as it is: an optimizer a user turned off stays off.
 * - Otherwise the execution goes straight on.
 *
 * The Step Functions guide says an AWS SDK integration's parameters are PascalCase even where the
 * service's API is camelCase (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
 * It does not say how the response's members are named; the Choice reads them in the same case.
 */
export function enableMaintenance(scope: Construct, props: EnableMaintenanceProps, next: sfn.IChainable): sfn.IChainable {
  const stack = Stack.of(scope);
  const tableArns = glueTableArns(scope, props.databaseName, props.targetTableName);
  const table = { CatalogId: stack.account, DatabaseName: props.databaseName, TableName: props.targetTableName };
  const retry = (state: sfn.TaskStateBase) => retryTransient(state,
    ['Glue.ThrottlingException', 'Glue.InternalServiceException', 'Glue.ConcurrentModificationException'], Duration.seconds(2), 5);
  type OptimizerType = typeof OPTIMIZER_TYPES[number];
  const call = (id: string, comment: string, action: string, type: OptimizerType, configuration: Record<string, unknown>) => retry(
    new tasks.CallAwsService(scope, id, {
      comment,
      service: 'glue',
      action,
      iamResources: tableArns,
      parameters: { ...table, Type: type, TableOptimizerConfiguration: { RoleArn: props.maintenanceRole.roleArn, ...configuration } },
      resultPath: sfn.JsonPath.DISCARD,
    }));
  const retentionConfiguration = {
    RetentionConfiguration: {
      IcebergConfiguration: { SnapshotRetentionPeriodInDays: props.snapshotRetentionDays, NumberOfSnapshotsToRetain: 1, CleanExpiredFiles: true },
    },
  };
  const retentionComment = `Glue expires snapshots older than ${props.snapshotRetentionDays} days and deletes the files only they named`;
  const compaction = call('Enable Compaction', 'Glue compacts the small files each run adds', 'createTableOptimizer', 'compaction', { Enabled: true });
  const orphans = call('Enable Orphan File Deletion', 'Glue deletes files under the target location that no snapshot names, such as those a failed write left', 'createTableOptimizer', 'orphan_file_deletion', {
    Enabled: true,
    OrphanFileDeletionConfiguration: {
      IcebergConfiguration: { OrphanFileRetentionPeriodInDays: ORPHAN_FILE_RETENTION_DAYS, Location: props.targetLocation },
    },
  });
  const retention = call('Enable Snapshot Retention', retentionComment, 'createTableOptimizer', 'retention', { Enabled: true, ...retentionConfiguration });
  const exists = { errors: ['Glue.AlreadyExistsException'], resultPath: sfn.JsonPath.DISCARD };
  compaction.addCatch(orphans, exists).next(orphans);
  orphans.addCatch(retention, exists).next(retention);
  retention.addCatch(next, exists).next(next);

  const updateRetention = call('Update Snapshot Retention', `snapshotRetention changed: ${retentionComment}`, 'updateTableOptimizer', 'retention', {
    'Enabled.$': `${RETENTION_PATH}.Configuration.Enabled`,
    ...retentionConfiguration,
  });
  updateRetention.next(next);
  const period = `${RETENTION_PATH}.Configuration.RetentionConfiguration.IcebergConfiguration.SnapshotRetentionPeriodInDays`;
  const retentionCurrent = new sfn.Choice(scope, 'Snapshot Retention Current?', { comment: `Does Glue keep snapshots for ${props.snapshotRetentionDays} days, as snapshotRetention says?` })
    .when(sfn.Condition.and(sfn.Condition.isPresent(period), sfn.Condition.numberEquals(period, props.snapshotRetentionDays)), next)
    .otherwise(updateRetention);

  const getMaintenance = retry(new tasks.CallAwsService(scope, 'Get Maintenance', {
    comment: 'Are the Glue table optimizers of the target on, with the retention snapshotRetention sets?',
    service: 'glue',
    action: 'getTableOptimizer',
    iamResources: tableArns,
    parameters: { ...table, Type: OPTIMIZER_TYPES[OPTIMIZER_TYPES.length - 1] },
    resultSelector: { 'Configuration.$': '$.TableOptimizer.Configuration' },
    resultPath: RETENTION_PATH,
  }));
  getMaintenance.addCatch(compaction, { errors: ['Glue.EntityNotFoundException'], resultPath: sfn.JsonPath.DISCARD });
  getMaintenance.next(retentionCurrent);

  // CreateTableOptimizer and UpdateTableOptimizer take a role: the caller must be allowed to pass it, to Glue only.
  props.workflowRole.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [props.maintenanceRole.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } },
  }));
  return getMaintenance;
}

/** **Get Maintenance** and what follows from it (see `enableMaintenance`), then `next`. */
export class TableMaintenance extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: EnableMaintenanceProps & { readonly next: sfn.IChainable }) {
    super(scope, id);
    this.startState = enableMaintenance(this, props, props.next).startState;
    this.endStates = props.next.endStates;
  }
}
