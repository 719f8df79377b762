import { quoteIdentifier } from './sql';

/** What a query needs to know of the watermark to read the target's values of its column. */
export interface TargetValuesWatermark {
  readonly column: string;
  /** Whether the target is a Hive table partitioned by `column`: its `$partitions` has a column of that name. */
  readonly targetPartitionMetadata: boolean;
  /** Whether the target is an Iceberg table with an identity partition on `column`. */
  readonly icebergPartitionMetadata: boolean;
}

/**
 * A FROM-clause item with one column, named like the watermark column, holding the target's
 * values of it: from partition metadata when the target is partitioned by it, so that reading
 * them reads no data file.
 *
 * - A Hive table's `"t$partitions"` has one column per partition key, listed from the Glue
 *   catalog (https://docs.aws.amazon.com/athena/latest/ug/show-partitions.html).
 * - An Iceberg table's `"t$partitions"` ("shows a table's current partitions",
 *   https://docs.aws.amazon.com/athena/latest/ug/querying-iceberg-table-metadata.html) is read
 *   from the table's manifests. Athena's guide lists no columns; Athena engine version 3 runs
 *   Trino, whose Iceberg connector gives the partition values as one `partition` row, with a
 *   field named like each identity-partitioned column, next to `record_count`, `file_count`,
 *   `total_size` and `data` (https://trino.io/docs/current/connector/iceberg.html#partitions-table).
 *   Only partitions with live data files are listed, so an emptied partition has no row.
 */
export function targetValues(databaseName: string, targetTableName: string, watermark: TargetValuesWatermark): string {
  const column = quoteIdentifier(watermark.column);
  const database = quoteIdentifier(databaseName);
  if (watermark.targetPartitionMetadata) return `${database}.${quoteIdentifier(`${targetTableName}$partitions`)}`;
  if (watermark.icebergPartitionMetadata) {
    return `(SELECT "partition".${column} AS ${column} FROM ${database}.${quoteIdentifier(`${targetTableName}$partitions`)})`;
  }
  return `${database}.${quoteIdentifier(targetTableName)}`;
}
