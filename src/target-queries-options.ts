import { S3TablesTarget } from './s3-tables-target';
import { WatermarkColumnType, WatermarkOptions } from './watermark';

/**
 * The file format of a table the generated queries create.
 */
export enum TableFormat {
  /** Apache Parquet, a columnar format. */
  PARQUET = 'PARQUET',
  /** Apache ORC, a columnar format. */
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
  /** Gzip: a widely readable codec, with a better ratio than Snappy and slower. */
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
   * The most distinct `watermarkColumn` values one `MERGE` loads (an Iceberg `MERGE` counts
   * values, not Hive partitions).
   *
   * @default 100
   */
  readonly maxWatermarkValuesPerQuery?: number;

  /**
   * The most watermark values one `MERGE` loads.
   *
   * @deprecated use `maxWatermarkValuesPerQuery`, which means the same: `maxPartitionsPerQuery: 30` becomes `maxWatermarkValuesPerQuery: 30`
   * @default 100
   */
  readonly maxPartitionsPerQuery?: number;

  /**
   * The Athena type of each column in `columns`, as `CREATE TABLE` takes it for an Iceberg table:
   * `boolean`, `int`, `bigint`, `float`, `double`, `decimal(P,S)`, `string`, `binary`, `date` or
   * `timestamp`. Needed for an S3 table (`TargetStorage.s3Table`), which is created with
   * `CREATE TABLE` rather than from the source's columns.
   *
   * @default - the source's types (`CREATE TABLE AS SELECT … WITH NO DATA`); required with `TargetStorage.s3Table`
   */
  readonly columnTypes?: { [column: string]: string };

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
 *
 * @deprecated use `MergeNewerRowsOptions` with `columnTypes`, and the table bucket as `target: TargetStorage.s3Table({ tableBucketArn, namespace })`
 */
export interface MergeNewerRowsIntoS3TableOptions extends MergeNewerRowsOptions, S3TablesTarget {}

/**
 * Your own statements, named, for `TargetQueries.fromStatements`.
 */
export interface QueryTemplates {
  /**
   * Creates the target table, e.g. `CREATE TABLE … WITH (…) AS SELECT …`, with the placeholders
   * of `TargetQueries.fromTemplates`.
   */
  readonly createTargetQuery: string;

  /**
   * Adds the newer source rows, e.g. `INSERT INTO … SELECT … WHERE …`; with a watermark it says
   * `{{watermark}}` and `{{windowEnd}}` where each window's bounds go.
   */
  readonly updateTargetQuery: string;

  /**
   * Reads the target's newest value before each update (see `WatermarkOptions`).
   *
   * @default - no watermark: the update statement finds the newer rows itself
   */
  readonly watermark?: WatermarkOptions;
}
