import { quoteIdentifier } from './private/sql';
import { WatermarkOptions } from './watermark';

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
   * The columns to copy. Partition columns must come last, in `partitionedBy` order.
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
   * The watermark to start from when the target is empty.
   *
   * @default '' (every source row)
   */
  readonly initialWatermark?: string;
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
    return new TemplateQueries(createTargetQuery, updateTargetQuery, watermark);
  }

  /**
   * Generated statements for the common case: the target is a partitioned copy of one source
   * table, created empty and then filled with the source rows newer than its newest
   * `watermarkColumn` value, at most `maxPartitionsPerQuery` partitions per `INSERT`.
   * Identifiers are quoted.
   */
  public static appendNewerRows(options: AppendNewerRowsOptions): TargetQueries {
    const partitionedBy = options.partitionedBy ?? [options.watermarkColumn];
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
    return new TemplateQueries(create, update, {
      column: options.watermarkColumn,
      partitionColumn: partitionedBy.includes(options.watermarkColumn),
      sourceTableName: options.sourceTableName,
      initialValue: options.initialWatermark,
      maxPartitionsPerQuery: options.maxPartitionsPerQuery,
    });
  }

  /** The statement that creates the target table. */
  public abstract readonly createTargetQuery: string;
  /** The statement that adds newer source rows to the target. */
  public abstract readonly updateTargetQuery: string;
  /** How the workflow finds the target's newest value, if it does. */
  public abstract readonly watermark?: WatermarkOptions;
}

class TemplateQueries extends TargetQueries {
  constructor(
    public readonly createTargetQuery: string,
    public readonly updateTargetQuery: string,
    public readonly watermark?: WatermarkOptions,
  ) {
    super();
  }
}
