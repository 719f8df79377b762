import { quoteIdentifier } from './sql';

/** Where the target table is: a database (or S3 Tables namespace) of a catalog. */
export interface TargetTableRef {
  /** A catalog other than the query's own, e.g. `s3tablescatalog/<bucket>`. @default - the query's catalog */
  readonly catalog?: string;
  readonly database: string;
  readonly table: string;
}

/** The table's name for Athena (Trino), every part quoted: `"catalog"."database"."table"`. */
export function qualifiedName(target: TargetTableRef, suffix = ''): string {
  return [target.catalog, target.database, `${target.table}${suffix}`].filter((part): part is string => part !== undefined).map(quoteIdentifier).join('.');
}

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
 *   catalog (see docs/athena-rules.md rule 8).
 * - An Iceberg table's `"t$partitions"` gives the partition values as one `partition` row, with a
 *   field named like each identity-partitioned column, and lists only partitions with live data
 *   files (see docs/athena-rules.md rule 16).
 */
export function targetValues(target: TargetTableRef, watermark: TargetValuesWatermark): string {
  const column = quoteIdentifier(watermark.column);
  if (watermark.targetPartitionMetadata) return qualifiedName(target, '$partitions');
  if (watermark.icebergPartitionMetadata) {
    return `(SELECT "partition".${column} AS ${column} FROM ${qualifiedName(target, '$partitions')})`;
  }
  return qualifiedName(target);
}
