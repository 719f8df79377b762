import { Construct } from 'constructs';
import { fail } from './errors';
import { ResolvedProps } from './resolved-props';
import { ResolvedS3TablesTarget } from './s3-tables';
import { resolveMaintenance } from './table-maintenance';
import { resolveWatermark } from './watermark-resolution';
import { ResolvedWatermark } from './watermark-types';

/** The statements the workflow runs, placeholders substituted, and what follows from them. */
export interface Statements {
  readonly createTargetQuery: string;
  readonly updateTargetQuery: string;
  readonly watermark?: ResolvedWatermark;
  /** Whether the partitions a lookback loads again are emptied first (a Hive target partitioned by the watermark). */
  readonly rewritesPartitions: boolean;
  /** For a maintained Iceberg target, how long its snapshots are kept. */
  readonly maintenance?: { readonly snapshotRetentionDays: number };
}

/** Where the statements run, for their placeholders. */
export interface StatementContext {
  readonly workGroupName: string;
  /** The target's `s3://` URI, ending in `/`; undefined for an S3 table. */
  readonly targetLocation?: string;
  readonly s3Table?: ResolvedS3TablesTarget;
}

/** Binds `queries` to the construct (which checks them) and resolves the watermark and the maintenance. */
export function resolveStatements(scope: Construct, props: ResolvedProps, context: StatementContext): Statements {
  const placeholders: Record<string, string> = {
    database: props.databaseName,
    targetTable: props.targetTableName,
    workGroup: context.workGroupName,
    ...(context.s3Table
      ? { targetCatalog: context.s3Table.catalogName, targetNamespace: context.s3Table.namespace }
      : { targetLocation: context.targetLocation! }),
  };
  if (props.sourceTableNames.length === 1) placeholders.sourceTable = props.sourceTableNames[0];
  const config = props.queries.bind(scope, { sourceTableNames: props.sourceTableNames, target: props.target, placeholders });
  const resolved = config.watermark && resolveWatermark(scope, config.watermark, props.sourceTableNames, (field) => `queries (${field})`);
  // Athena's guide does not say that an S3 table has `$partitions`: its newest value is read from its rows.
  const watermark = resolved && context.s3Table ? { ...resolved, icebergPartitionMetadata: false } : resolved;
  if (!watermark && !props.maxStalenessIsDefault) {
    fail(scope, 'NoWatermark', 'maxStaleness sets the freshness alarm, which needs a watermark: use queries with one, such as TargetQueries.appendNewerRows');
  }
  return {
    createTargetQuery: config.createTargetQuery,
    updateTargetQuery: config.updateTargetQuery,
    watermark,
    rewritesPartitions: !!watermark && watermark.lookbackPartitions > 0 && watermark.targetPartitionMetadata,
    // S3 maintains the tables of a table bucket itself.
    maintenance: context.s3Table
      ? undefined
      : resolveMaintenance(scope, {
        icebergMaintenance: props.icebergMaintenance,
        snapshotRetention: props.snapshotRetention,
        watermark: config.watermark,
      }),
  };
}
