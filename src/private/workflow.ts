import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, IConstruct } from 'constructs';
import { QueryResultConfiguration } from './athena-query-task';
import { ResolvedS3TablesTarget } from './s3-tables';
import { EnableMaintenanceProps, TableMaintenance } from './table-maintenance';
import { ResolvedWatermark } from './watermark-types';
import { ExecutionGuard } from './workflow/execution-guard';
import { QueryStates } from './workflow/query-states';
import { TargetTable } from './workflow/target-table';
import { WatermarkLoop } from './workflow/watermark-loop';

export interface WorkflowProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  readonly workGroupName: string;
  /** Where query results go, sent with every query. */
  readonly resultConfiguration?: QueryResultConfiguration;
  readonly createTargetQuery: string;
  /** The update statement; with a watermark, it says `{{watermark}}` and `{{windowEnd}}` where its bounds go. */
  readonly updateTargetQuery: string;
  readonly watermark?: ResolvedWatermark;
  /** The target's location, when the partitions a lookback loads again are emptied first (a Hive target partitioned by the watermark column). */
  readonly rewriteLocation?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /** The state machine's own ARN, when executions that find another one running end at once. */
  readonly stateMachineArnForGuard?: string;
  /** The lock table, when the watermark loop runs in one execution at a time. */
  readonly lockTable?: dynamodb.ITable;
  /** The workflow's role, where the lock's grants are acknowledged. */
  readonly role?: IConstruct;
  /** The state machine's name, for the lock and the freshness metric. */
  readonly stateMachineName?: string;
  /** Whether the watermark loop reports how far the target lags (see `lagColumn`). */
  readonly reportFreshness?: boolean;
  /** The target's location (an `s3://` URI ending in `/`), when each execution writes a Hive target under a location of its own. */
  readonly executionLocationsUnder?: string;
  /** The target's Glue table optimizers, when the workflow turns them on (see `enableMaintenance`). */
  readonly maintenance?: EnableMaintenanceProps;
  /** The S3 table bucket namespace the target is in, when it is an S3 table. */
  readonly s3TablesTarget?: ResolvedS3TablesTarget;
}

/**
 * The workflow, top to bottom as in the diagram: [execution guard →] target table (Get, or
 * Create) → [table maintenance →] the watermark loop, or one Update Target Table.
 */
export function buildWorkflow(scope: Construct, props: WorkflowProps): sfn.IChainable {
  const { databaseName, workGroupName, resultConfiguration } = props;
  const queries = new QueryStates({ databaseName, workGroupName, resultConfiguration });
  const load: sfn.IChainable = props.watermark
    ? new WatermarkLoop(scope, 'WatermarkLoop', {
      databaseName: props.databaseName,
      targetTableName: props.targetTableName,
      updateTargetQuery: props.updateTargetQuery,
      watermark: props.watermark,
      queries,
      s3Table: props.s3TablesTarget,
      reportFreshnessAs: props.reportFreshness ? props.stateMachineName : undefined,
      executionLocationsUnder: props.executionLocationsUnder,
      rewriteLocation: props.rewriteLocation,
    })
    : queries.query(scope, 'Update Target Table', props.updateTargetQuery, 'Adds the source rows newer than the newest row in the target', '$.updateTarget');
  const afterTarget = props.maintenance ? new TableMaintenance(scope, 'TableMaintenance', { ...props.maintenance, next: load }) : load;
  const target = new TargetTable(scope, 'TargetTable', {
    databaseName: props.databaseName,
    targetTableName: props.targetTableName,
    createTargetQuery: props.createTargetQuery,
    queries,
    s3Table: props.s3TablesTarget,
  }).next(afterTarget);
  if (!props.stateMachineArnForGuard) return target;
  return new ExecutionGuard(scope, 'ExecutionGuard', {
    stateMachineArn: props.stateMachineArnForGuard,
    lock: props.lockTable && { table: props.lockTable, stateMachineName: props.stateMachineName!, role: props.role! },
    load: target,
  });
}
