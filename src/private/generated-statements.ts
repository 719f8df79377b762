import { Construct } from 'constructs';
import { fail } from './errors';
import { quoteIdentifier } from './sql';
import { AppendNewerRowsOptions, MergeNewerRowsOptions, TableCompression, TableFormat } from '../target-queries-options';
import { TargetTableType, WatermarkOptions } from '../watermark';

/** The target of a merge into a Glue table, and into an S3 table (named in its table bucket's catalog). */
export const GLUE_TABLE = '"{{database}}"."{{targetTable}}"';
export const S3_TABLE = '"{{targetCatalog}}"."{{targetNamespace}}"."{{targetTable}}"';

export function partitionColumns(options: AppendNewerRowsOptions): string[] {
  return options.partitionedBy ?? [options.watermarkColumn];
}

export function selectList(columns: string[] | undefined): string {
  return columns ? columns.map(quoteIdentifier).join(', ') : '*';
}

function arrayOfNames(columns: string[]): string {
  return `ARRAY[${columns.map((column) => `'${column.replace(/'/g, "''")}'`).join(', ')}]`;
}

export function appendCreateStatement(options: AppendNewerRowsOptions): string {
  const format = options.format ?? TableFormat.PARQUET;
  const compressionProperty = format === TableFormat.PARQUET ? 'write_compression' : 'orc_compression';
  return [
    'CREATE TABLE "{{database}}"."{{targetTable}}"',
    'WITH (',
    `  format = '${format}',`,
    `  ${compressionProperty} = '${options.compression ?? TableCompression.SNAPPY}',`,
    "  external_location = '{{targetLocation}}',",
    `  partitioned_by = ${arrayOfNames(partitionColumns(options))}`,
    ')',
    `AS SELECT ${selectList(options.columns)} FROM "{{database}}".${quoteIdentifier(options.sourceTableName)}`,
    'WITH NO DATA',
  ].join('\n');
}

/** The update of `appendNewerRows`: the window's source rows, inserted. */
export function appendUpdateStatement(options: AppendNewerRowsOptions): string {
  const watermark = quoteIdentifier(options.watermarkColumn);
  return [
    'INSERT INTO "{{database}}"."{{targetTable}}"',
    `SELECT ${selectList(options.columns)} FROM "{{database}}".${quoteIdentifier(options.sourceTableName)}`,
    `WHERE ${watermark} > {{watermark}} AND ${watermark} <= {{windowEnd}}`,
  ].join('\n');
}

export function icebergCreateStatement(options: MergeNewerRowsOptions): string {
  return [
    'CREATE TABLE "{{database}}"."{{targetTable}}"',
    'WITH (',
    "  table_type = 'ICEBERG',",
    '  is_external = false,',
    "  location = '{{targetLocation}}',",
    "  format = 'PARQUET',",
    `  write_compression = '${options.compression ?? TableCompression.SNAPPY}',`,
    `  partitioning = ${arrayOfNames(options.partitionedBy ?? [options.watermarkColumn])}`,
    ')',
    `AS SELECT ${selectList(options.columns)} FROM "{{database}}".${quoteIdentifier(options.sourceTableName)}`,
    'WITH NO DATA',
  ].join('\n');
}

/** The key and the watermark column are among the columns a merge copies. */
export function checkMergeColumns(scope: Construct, name: (field: string) => string, options: MergeNewerRowsOptions): void {
  if (options.uniqueKey.length === 0) {
    fail(scope, 'InvalidColumns', `${name('uniqueKey')} must name at least one column`);
  }
  for (const column of [...options.uniqueKey, options.watermarkColumn]) {
    if (!options.columns.includes(column)) {
      fail(scope, 'InvalidColumns', `${name('columns')} must include '${column}', which identifies or orders the rows`);
    }
  }
  if (options.maxPartitionsPerQuery !== undefined && options.maxWatermarkValuesPerQuery !== undefined) {
    fail(scope, 'ConflictingProps', `${name('maxPartitionsPerQuery')} (deprecated) and maxWatermarkValuesPerQuery mean the same: set maxWatermarkValuesPerQuery only`);
  }
}

/**
 * The update of the merge strategies: the window's source rows, one per key (the newest by the
 * watermark column, since Athena fails a `MERGE` whose source matches a target row twice),
 * merged into `target` on the key.
 */
export function mergeStatement(target: string, options: MergeNewerRowsOptions): string {
  const columns = options.columns.map(quoteIdentifier);
  const source = `"{{database}}".${quoteIdentifier(options.sourceTableName)}`;
  const watermark = quoteIdentifier(options.watermarkColumn);
  const key = options.uniqueKey.map(quoteIdentifier);
  const valueColumns = columns.filter((column) => !key.includes(column));
  return [
    `MERGE INTO ${target} AS t`,
    'USING (',
    `  SELECT ${columns.join(', ')} FROM (`,
    `    SELECT ${columns.join(', ')}, row_number() OVER (PARTITION BY ${key.join(', ')} ORDER BY ${watermark} DESC) AS "row_in_key"`,
    `    FROM ${source}`,
    `    WHERE ${watermark} > {{watermark}} AND ${watermark} <= {{windowEnd}}`,
    '  ) WHERE "row_in_key" = 1',
    ') AS s',
    `ON ${key.map((column) => `t.${column} = s.${column}`).join(' AND ')}`,
    // With every column in the key, a matched row is already equal: nothing to update.
    ...(valueColumns.length > 0 ? [`WHEN MATCHED THEN UPDATE SET ${valueColumns.map((column) => `${column} = s.${column}`).join(', ')}`] : []),
    `WHEN NOT MATCHED THEN INSERT (${columns.join(', ')}) VALUES (${columns.map((column) => `s.${column}`).join(', ')})`,
  ].join('\n');
}

/** The watermark of the merge strategies: an Iceberg target, the newest value merged again by default. */
export function mergeWatermark(options: MergeNewerRowsOptions): WatermarkOptions {
  return {
    ...generatedWatermark(options, options.partitionedBy ?? [options.watermarkColumn]),
    maxPartitionsPerQuery: options.maxWatermarkValuesPerQuery ?? options.maxPartitionsPerQuery,
    lookbackPartitions: options.lookbackPartitions ?? 1,
    targetTableType: TargetTableType.ICEBERG,
  };
}

/** The watermark the generated statements share, from the options every strategy takes. */
export function generatedWatermark(options: AppendNewerRowsOptions | MergeNewerRowsOptions, partitionedBy: string[]): WatermarkOptions {
  return {
    column: options.watermarkColumn,
    // Its newest values come from the target's and the source's `$partitions` only when both
    // are partitioned by it (for Iceberg, an identity partition of the target).
    isPartitionColumn: partitionedBy.includes(options.watermarkColumn),
    sourceTableName: options.sourceTableName,
    columnType: options.watermarkType,
    initialValue: options.initialWatermark,
    maxPartitionsPerQuery: options.maxPartitionsPerQuery,
    lookbackPartitions: options.lookbackPartitions,
  };
}

/** A Hive CTAS takes its partition columns last, in `partitioned_by` order (see docs/athena-rules.md rule 7). */
export function checkPartitionColumnsLast(scope: Construct, columns: string[], partitionedBy: string[]): void {
  const last = columns.slice(columns.length - partitionedBy.length);
  if (partitionedBy.length > columns.length || last.join('\u0000') !== partitionedBy.join('\u0000')) {
    fail(scope, 'InvalidColumns',
      `queries (TargetQueries.appendNewerRows: columns) must end with the partition columns, in partitionedBy order: [..., ${partitionedBy.join(', ')}] (got [${columns.join(', ')}])`,
    );
  }
}
