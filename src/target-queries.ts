import { PropError } from './private/errors';
import { recordOrigin } from './private/query-origin';
import { checkWatermarkColumnType, s3TableCreateStatement } from './private/s3-table-statements';
import { quoteIdentifier } from './private/sql';
import { S3TablesTarget } from './s3-tables-target';
import { TargetTableType, WatermarkColumnType, WatermarkOptions } from './watermark';

/**
 * The file format of a table the generated queries create.
 */
export enum TableFormat {
  /** Apache Parquet. */
  PARQUET = 'PARQUET',
  /** Apache ORC. */
  ORC = 'ORC',
}

/**
 * The compression of a table the generated queries create.
 */
export enum TableCompression {
  /** Snappy: fast, moderate ratio. */
  SNAPPY = 'SNAPPY',
  /** Zstandard: better ratio, a little slower. */
  ZSTD = 'ZSTD',
  /** Gzip. */
  GZIP = 'GZIP',
}

/**
 * Options for `TargetQueries.appendNewerRows`.
 */
export interface AppendNewerRowsOptions {
  /**
   * The source table to copy rows from.
   */
  readonly sourceTableName: string;

  /**
   * The column whose values order the data; rows with a value newer than the target's newest are appended.
   */
  readonly watermarkColumn: string;

  /**
   * The type of `watermarkColumn` in Athena, which decides how the window bounds are written.
   *
   * @default WatermarkColumnType.STRING
   */
  readonly watermarkType?: WatermarkColumnType;

  /**
   * The columns to copy. Partition columns must come last, in `partitionedBy` order, as Athena
   * requires of a Hive CTAS.
   *
   * @default - every column of the source (`*`)
   */
  readonly columns?: string[];

  /**
   * The target's partition columns.
   *
   * @default [watermarkColumn]
   */
  readonly partitionedBy?: string[];

  /**
   * The target's file format.
   *
   * @default TableFormat.PARQUET
   */
  readonly format?: TableFormat;

  /**
   * The target's compression.
   *
   * @default TableCompression.SNAPPY
   */
  readonly compression?: TableCompression;

  /**
   * The most partitions one `INSERT` loads.
   *
   * @default 100
   */
  readonly maxPartitionsPerQuery?: number;

  /**
   * The watermark to start from when the target is empty, written as `watermarkType` takes it
   * (see `WatermarkOptions.initialValue`).
   *
   * @default - every source row
   */
  readonly initialWatermark?: string;

  /**
   * How many of the target's newest partitions each run rewrites (deletes, then inserts again),
   * to pick up rows that arrived late into them. See `WatermarkOptions.lookbackPartitions`.
   *
   * @default 0 - a late row in a partition already loaded is not loaded
   */
  readonly lookbackPartitions?: number;
}

/**
 * Options for `TargetQueries.mergeNewerRows`.
 */
export interface MergeNewerRowsOptions {
  /**
   * The source table to copy rows from.
   */
  readonly sourceTableName: string;

  /**
   * The columns that identify a row: a source row replaces the target row with the same key.
   */
  readonly uniqueKey: string[];

  /**
   * The column whose values order the data (for example `dt`); a partition column of the source.
   */
  readonly watermarkColumn: string;

  /**
   * The type of `watermarkColumn` in Athena, which decides how the window bounds are written.
   *
   * @default WatermarkColumnType.STRING
   */
  readonly watermarkType?: WatermarkColumnType;

  /**
   * The columns to copy, the key and watermark columns among them.
   */
  readonly columns: string[];

  /**
   * The target's partition columns.
   *
   * @default [watermarkColumn]
   */
  readonly partitionedBy?: string[];

  /**
   * How many of the target's newest watermark values each run merges again, to pick up rows that
   * arrived late into them.
   *
   * @default 1
   */
  readonly lookbackPartitions?: number;

  /**
   * The most watermark values one `MERGE` loads.
   *
   * @default 100
   */
  readonly maxPartitionsPerQuery?: number;

  /**
   * The watermark to start from when the target is empty, written as `watermarkType` takes it
   * (see `WatermarkOptions.initialValue`).
   *
   * @default - every source row
   */
  readonly initialWatermark?: string;

  /**
   * The target's compression.
   *
   * @default TableCompression.SNAPPY
   */
  readonly compression?: TableCompression;
}

/**
 * Options for `TargetQueries.mergeNewerRowsIntoS3Table`.
 */
export interface MergeNewerRowsIntoS3TableOptions extends MergeNewerRowsOptions, S3TablesTarget {
  /**
   * The Athena type of each column in `columns`, as `CREATE TABLE` takes it for an Iceberg table:
   * `boolean`, `int`, `bigint`, `float`, `double`, `decimal(P,S)`, `string`, `binary`, `date` or
   * `timestamp`.
   */
  readonly columnTypes: { [column: string]: string };
}

/**
 * The two Athena statements that create the target table and add newer source rows to it.
 */
export abstract class TargetQueries {
  /**
   * Your own statements, with `{{placeholder}}`s (see `KeepDataUpToDateProps.createTargetQuery`).
   *
   * @param createTargetQuery creates the target table, e.g. `CREATE TABLE … WITH (…) AS SELECT …`
   * @param updateTargetQuery adds the newer source rows, e.g. `INSERT INTO … SELECT … WHERE …`
   * @param watermark reads the target's newest value before each update; see `WatermarkOptions`
   */
  public static fromTemplates(createTargetQuery: string, updateTargetQuery: string, watermark?: WatermarkOptions): TargetQueries {
    return withOrigin(new TemplateQueries(createTargetQuery, updateTargetQuery, watermark), 'fromTemplates', {});
  }

  /**
   * Generated statements for the common case: the target is a partitioned copy of one source
   * table, created empty and then filled with the source rows newer than its newest
   * `watermarkColumn` value, at most `maxPartitionsPerQuery` partitions per `INSERT`.
   * Identifiers are quoted.
   */
  public static appendNewerRows(options: AppendNewerRowsOptions): TargetQueries {
    const partitionedBy = options.partitionedBy ?? [options.watermarkColumn];
    if (options.columns) checkPartitionColumnsLast(options.columns, partitionedBy);
    const columns = options.columns ? options.columns.map(quoteIdentifier).join(', ') : '*';
    const source = `"{{database}}".${quoteIdentifier(options.sourceTableName)}`;
    const format = options.format ?? TableFormat.PARQUET;
    const compressionProperty = format === TableFormat.PARQUET ? 'write_compression' : 'orc_compression';
    const watermark = quoteIdentifier(options.watermarkColumn);
    const create = [
      'CREATE TABLE "{{database}}"."{{targetTable}}"',
      'WITH (',
      `  format = '${format}',`,
      `  ${compressionProperty} = '${options.compression ?? TableCompression.SNAPPY}',`,
      "  external_location = '{{targetLocation}}',",
      `  partitioned_by = ARRAY[${partitionedBy.map((column) => `'${column.replace(/'/g, "''")}'`).join(', ')}]`,
      ')',
      `AS SELECT ${columns} FROM ${source}`,
      'WITH NO DATA',
    ].join('\n');
    const update = [
      'INSERT INTO "{{database}}"."{{targetTable}}"',
      `SELECT ${columns} FROM ${source}`,
      `WHERE ${watermark} > {{watermark}} AND ${watermark} <= {{windowEnd}}`,
    ].join('\n');
    return withOrigin(new TemplateQueries(create, update, generatedWatermark(options, partitionedBy)), 'appendNewerRows', GENERATED_OPTION_NAMES);
  }

  /**
   * Generated statements for rows that may arrive late or change: the target is an Apache
   * Iceberg table, created empty, and each run merges the source rows newer than the target's
   * (`lookbackPartitions` + 1)-th newest watermark value into it on `uniqueKey`, at most
   * `maxPartitionsPerQuery` values per `MERGE`. The source rows of a window are first reduced to
   * one per key (the newest by `watermarkColumn`), since Athena fails a `MERGE` whose source
   * matches a target row twice. Rows are never duplicated, and a late row within the lookback is
   * never lost. Identifiers are quoted.
   */
  public static mergeNewerRows(options: MergeNewerRowsOptions): TargetQueries {
    checkMergeColumns('mergeNewerRows', options);
    const partitionedBy = options.partitionedBy ?? [options.watermarkColumn];
    const columns = options.columns.map(quoteIdentifier);
    const create = [
      'CREATE TABLE "{{database}}"."{{targetTable}}"',
      'WITH (',
      "  table_type = 'ICEBERG',",
      '  is_external = false,',
      "  location = '{{targetLocation}}',",
      "  format = 'PARQUET',",
      `  write_compression = '${options.compression ?? TableCompression.SNAPPY}',`,
      `  partitioning = ARRAY[${partitionedBy.map((column) => `'${column.replace(/'/g, "''")}'`).join(', ')}]`,
      ')',
      `AS SELECT ${columns.join(', ')} FROM "{{database}}".${quoteIdentifier(options.sourceTableName)}`,
      'WITH NO DATA',
    ].join('\n');
    const update = mergeStatement('"{{database}}"."{{targetTable}}"', options);
    return withOrigin(new TemplateQueries(create, update, mergeWatermark(options)), 'mergeNewerRows', GENERATED_OPTION_NAMES);
  }

  /**
   * Like `mergeNewerRows`, into an Apache Iceberg table in a namespace of an Amazon S3 table
   * bucket, which S3 maintains itself (compaction, snapshot management and unreferenced-file
   * removal). The table is created with `CREATE TABLE` and the columns' types, with no location
   * (S3 Tables places the data), then filled by `MERGE`. See the README, "Amazon S3 Tables as a
   * target", for the account set-up it needs.
   */
  public static mergeNewerRowsIntoS3Table(options: MergeNewerRowsIntoS3TableOptions): TargetQueries {
    checkMergeColumns('mergeNewerRowsIntoS3Table', options);
    const partitionedBy = options.partitionedBy ?? [options.watermarkColumn];
    const create = s3TableCreateStatement(options.columns, options.columnTypes, partitionedBy, options.compression ?? TableCompression.SNAPPY);
    checkWatermarkColumnType(options);
    const update = mergeStatement('"{{targetCatalog}}"."{{targetNamespace}}"."{{targetTable}}"', options);
    const queries = new TemplateQueries(create, update, mergeWatermark(options), {
      tableBucketArn: options.tableBucketArn,
      namespace: options.namespace,
    });
    return withOrigin(queries, 'mergeNewerRowsIntoS3Table', GENERATED_OPTION_NAMES);
  }

  /** The statement that creates the target table. */
  public abstract readonly createTargetQuery: string;
  /** The statement that adds newer source rows to the target. */
  public abstract readonly updateTargetQuery: string;
  /** How the workflow finds the target's newest value, if it does. */
  public abstract readonly watermark?: WatermarkOptions;
  /** The S3 table bucket namespace the target is created in, for `mergeNewerRowsIntoS3Table`. */
  public abstract readonly s3TablesTarget?: S3TablesTarget;
}

/** What the generated strategies' options are called, by the watermark field each one sets. */
const GENERATED_OPTION_NAMES: Record<string, string> = {
  'watermark.column': 'watermarkColumn',
  'watermark.columnType': 'watermarkType',
  'watermark.sourceTableName': 'sourceTableName',
  'watermark.initialValue': 'initialWatermark',
  'watermark.maxPartitionsPerQuery': 'maxPartitionsPerQuery',
  'watermark.lookbackPartitions': 'lookbackPartitions',
};

function withOrigin(queries: TargetQueries, method: string, names: Record<string, string>): TargetQueries {
  recordOrigin(queries, method, names);
  return queries;
}

class TemplateQueries extends TargetQueries {
  constructor(
    public readonly createTargetQuery: string,
    public readonly updateTargetQuery: string,
    public readonly watermark?: WatermarkOptions,
    public readonly s3TablesTarget?: S3TablesTarget,
  ) {
    super();
  }
}

/** The key and the watermark column are among the columns a merge copies. */
function checkMergeColumns(method: string, options: MergeNewerRowsOptions): void {
  if (options.uniqueKey.length === 0) {
    throw new PropError(`${method}: uniqueKey must name at least one column`);
  }
  for (const column of [...options.uniqueKey, options.watermarkColumn]) {
    if (!options.columns.includes(column)) {
      throw new PropError(`${method}: columns must include '${column}', which identifies or orders the rows`);
    }
  }
}

/**
 * The update of the merge strategies: the window's source rows, one per key (the newest by the
 * watermark column, since Athena fails a `MERGE` whose source matches a target row twice),
 * merged into `target` on the key.
 */
function mergeStatement(target: string, options: MergeNewerRowsOptions): string {
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
function mergeWatermark(options: MergeNewerRowsOptions): WatermarkOptions {
  return {
    ...generatedWatermark(options, options.partitionedBy ?? [options.watermarkColumn]),
    lookbackPartitions: options.lookbackPartitions ?? 1,
    targetTableType: TargetTableType.ICEBERG,
  };
}

/** The watermark the generated statements share, from the options every strategy takes. */
function generatedWatermark(options: AppendNewerRowsOptions | MergeNewerRowsOptions, partitionedBy: string[]): WatermarkOptions {
  return {
    column: options.watermarkColumn,
    // Its newest values come from the target's and the source's `$partitions` only when both
    // are partitioned by it (for Iceberg, an identity partition of the target).
    partitionColumn: partitionedBy.includes(options.watermarkColumn),
    sourceTableName: options.sourceTableName,
    columnType: options.watermarkType,
    initialValue: options.initialWatermark,
    maxPartitionsPerQuery: options.maxPartitionsPerQuery,
    lookbackPartitions: options.lookbackPartitions,
  };
}

/**
 * A Hive CTAS takes its partition columns from the end of the select list, in `partitioned_by`
 * order (https://docs.aws.amazon.com/athena/latest/ug/create-table-as.html); Athena fails one
 * that lists them elsewhere with HIVE_COLUMN_ORDER_MISMATCH.
 */
function checkPartitionColumnsLast(columns: string[], partitionedBy: string[]): void {
  const last = columns.slice(columns.length - partitionedBy.length);
  if (partitionedBy.length > columns.length || last.join('\u0000') !== partitionedBy.join('\u0000')) {
    throw new PropError(
      `appendNewerRows: columns must end with the partition columns, in partitionedBy order: [..., ${partitionedBy.join(', ')}] (got [${columns.join(', ')}])`,
    );
  }
}
