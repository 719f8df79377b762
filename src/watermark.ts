/**
 * The kind of table the target is.
 */
export enum TargetTableType {
  /** A Hive table: files under a location, partitions in the Glue catalog. */
  HIVE = 'HIVE',
  /** An Apache Iceberg table, which Athena can `MERGE INTO`. */
  ICEBERG = 'ICEBERG',
}

/**
 * How the workflow finds where the target table's data ends, so that each update reads only the
 * source data that is newer.
 *
 * With a watermark, the workflow reads the target's newest `column` value (from Athena's
 * partition metadata when `column` is a partition column, so no data file is read), then loads
 * the source in windows of at most `maxPartitionsPerQuery` new values, one `INSERT` per window,
 * until the target reaches the source's newest value. The update query receives the window's
 * bounds as SQL string literals through Athena execution parameters: `{{watermark}}` (exclusive
 * lower bound, the target's newest value) and `{{windowEnd}}` (inclusive upper bound), so Athena
 * prunes the source partitions, e.g. `WHERE dt > {{watermark}} AND dt <= {{windowEnd}}`.
 *
 * Values are compared as text: use ISO dates, timestamps or zero-padded numbers.
 */
export interface WatermarkOptions {
  /**
   * The column, present in the source and the target, whose values order the data (for example `dt`).
   */
  readonly column: string;

  /**
   * Whether `column` is a partition column of the source and the target tables. When it is, the
   * workflow reads the newest values from Athena's `$partitions` metadata tables and scans no data.
   *
   * @default true
   */
  readonly partitionColumn?: boolean;

  /**
   * The source table whose newest values bound each window.
   *
   * @default - the only entry of `sourceTableNames`
   */
  readonly sourceTableName?: string;

  /**
   * The watermark to start from when the target is empty: only source rows with a greater value are loaded.
   *
   * @default '' (every source row)
   */
  readonly initialValue?: string;

  /**
   * The most distinct `column` values (partitions) one `INSERT` may load. Athena's CTAS and
   * `INSERT INTO` write at most 100 partitions per query.
   *
   * @default 100
   */
  readonly maxPartitionsPerQuery?: number;

  /**
   * How many of the target's newest `column` values each run loads again, to pick up rows that
   * arrived late into them. The run then starts after the target's (N+1)-th newest value rather
   * than after its newest.
   *
   * For a Hive target partitioned by `column`, the workflow first deletes the objects of those
   * partitions (under `<targetDataLocation>column=value/`), as dbt-athena's `insert_overwrite`
   * does, so that the `INSERT` adds them again without duplicates: the role is then allowed
   * `s3:DeleteObject` under the target prefix, and nothing else may write there. For an Iceberg
   * target the update must be idempotent on a unique key, such as the `MERGE INTO` of
   * `TargetQueries.mergeNewerRows`.
   *
   * @default 0
   */
  readonly lookbackPartitions?: number;

  /**
   * The kind of table the target is. For a Hive target partitioned by `column`, the newest value
   * comes from partition metadata; an Iceberg target is read with `max(column)`.
   *
   * @default TargetTableType.HIVE
   */
  readonly targetTableType?: TargetTableType;
}
