import * as fs from 'node:fs';
import * as path from 'node:path';
import { AthenaQueryError } from './errors';

/**
 * Athena writes at most 100 partitions per CTAS or INSERT INTO
 * (https://docs.aws.amazon.com/athena/latest/ug/ctas-insert-into.html). The guide names the Hive
 * error; for Iceberg tables it is silent, and Trino's Iceberg connector, which Athena runs, fails
 * with ICEBERG_TOO_MANY_OPEN_PARTITIONS at the same limit, for a MERGE as for an INSERT.
 */
export const MAX_OPEN_PARTITIONS = 100;

/** Fails as Athena does when a write put files in more partitions than it may. */
export function checkOpenPartitions(partitions: number, iceberg: boolean): void {
  if (partitions <= MAX_OPEN_PARTITIONS) return;
  throw new AthenaQueryError(iceberg
    ? `ICEBERG_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of ${MAX_OPEN_PARTITIONS} open writers for partitions`
    : `HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of ${MAX_OPEN_PARTITIONS} open writers for partitions/buckets`);
}

/** The partitions (directories holding data files) a write put files in, under its staging directory. */
export function partitionsIn(stagingDir: string): string[] {
  if (!fs.existsSync(stagingDir)) return [];
  const files = (fs.readdirSync(stagingDir, { recursive: true }) as string[]).filter((file) => file.endsWith('.parquet'));
  return [...new Set(files.map((file) => path.dirname(file)))].filter((directory) => directory !== '.');
}
