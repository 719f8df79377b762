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
 * The Athena (Trino) type of a watermark column, which decides how the workflow writes each bound:
 * Trino compares a column only with a value of a compatible type (docs/athena-rules.md rule 4).
 */
export enum WatermarkColumnType {
  /** `varchar` or `string`: bounds are string literals, `'2026-01-31'`. */
  STRING = 'STRING',
  /** `date`: bounds are date literals, `DATE '2026-01-31'`. */
  DATE = 'DATE',
  /** `timestamp`: bounds are timestamp literals, `TIMESTAMP '2026-01-31 12:00:00.000'`. */
  TIMESTAMP = 'TIMESTAMP',
  /** `tinyint`, `smallint`, `int` or `bigint`: bounds are integer literals, `20260131`. */
  INTEGER = 'INTEGER',
}

/**
 * How the workflow finds where the target table's data ends, so that each update reads only the
 * source data that is newer.
 *
 * With a watermark, the workflow reads the target's newest `column` value (from Athena's
 * partition metadata when `column` is a partition column, so no data file is read), then loads
 * the source in windows of at most `maxPartitionsPerQuery` new values, one `INSERT` per window,
 * until the target reaches the source's newest value. The update statement receives the window's
 * bounds as SQL literals of `columnType`, written into its text where it says `{{watermark}}`
 * (exclusive lower bound, the target's newest value) and `{{windowEnd}}` (inclusive upper bound),
 * so Athena prunes the source partitions, e.g. `WHERE dt > {{watermark}} AND dt <= {{windowEnd}}`.
 * The literals are built by Athena itself from the values it read (quotes doubled), so a value
 * can never change the statement. They are not execution parameters, which a `MERGE` does not
 * take (docs/athena-rules.md rule 3).
 */
export interface WatermarkOptions {
  /**
   * The column, present in the source and the target, whose values order the data (for example `dt`).
   */
  readonly column: string;

  /**
   * The column's type in Athena, which decides how the bounds are written.
   *
   * @default WatermarkColumnType.STRING
   */
  readonly columnType?: WatermarkColumnType;

  /**
   * Whether `column` is a partition column of the source and the target tables. When it is, the
   * workflow reads the newest values from Athena's `$partitions` metadata tables and scans no data.
   *
   * A source table that uses partition projection has no partitions in `$partitions`
   * (docs/athena-rules.md rule 8), so each execution fails with
   * `KeepDataUpToDate.PartitionProjectionSource` for it: set `isPartitionColumn: false` for such a
   * source, and the windows are found from the column's values instead.
   *
   * @default true
   */
  readonly isPartitionColumn?: boolean;

  /**
   * Whether `column` is a partition column of the source and the target tables.
   *
   * @deprecated use `isPartitionColumn`, which means the same: `{ column: 'dt', partitionColumn: false }` becomes `{ column: 'dt', isPartitionColumn: false }`
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
   * The watermark to start from when the target is empty: only source rows with a greater value
   * are loaded. Written as the column's type takes it: `2026-01-31` for a date,
   * `2026-01-31 12:00:00` for a timestamp, `20260131` for an integer.
   *
   * @default - every source row: the lowest value of the type ('' for a string, 0001-01-01 for a date, 0001-01-01 00:00:00 for a timestamp, -9223372036854775807 for an integer)
   */
  readonly initialValue?: string;

  /**
   * The most distinct `column` values (partitions) one `INSERT` may load, at most Athena's 100
   * (docs/athena-rules.md rule 5).
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
   * The kind of table the target is. With `isPartitionColumn`, the newest value comes from the
   * target's `$partitions` metadata and no data file is read: a Hive target's partition keys,
   * or the `partition` row of an Iceberg target, which must then have an identity partition on
   * `column`. Without it, the target is read with `max(column)`.
   *
   * @default TargetTableType.HIVE
   */
  readonly targetTableType?: TargetTableType;
}
