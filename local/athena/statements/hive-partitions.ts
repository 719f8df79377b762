import * as path from 'node:path';
import { TableLayout } from './table-layout';
import { GluePartition, GlueTable } from '../../glue/glue-catalog';
import { LocalS3 } from '../../s3/local-s3';
import { partitionsIn } from '../api/limits';

/** Where a write puts each staged file, and the partitions it registers once it succeeds. */
export interface WriteDestination {
  /** The absolute path a staged file (relative to the staging directory) goes to. */
  readonly destinationOf: (stagedFile: string) => string;
  /** The partitions the write adds to the catalog once it succeeds. */
  readonly newPartitions: GluePartition[];
}

/**
 * Where an INSERT writes: into a registered partition's own location, or, for a partition not
 * registered yet, under the table's location as `<key>=<value>/` (the Hive layout; Athena's
 * INSERT INTO page does not say where a new partition goes), which it then registers. A table
 * without registered partitions (`GlueTable.partitions` unset) and an Iceberg table take the
 * files under their data directory as staged.
 */
export function insertDestination(table: GlueTable, layout: TableLayout, s3: LocalS3, stagingDir: string): WriteDestination {
  const plain = { destinationOf: (file: string) => path.join(layout.dataDirectory, file), newPartitions: [] };
  if (table.tableType === 'ICEBERG' || table.partitionKeys.length === 0 || table.partitions === undefined) return plain;
  const registered = new Map(table.partitions.map((partition) => [partition.values.join('\u0000'), partition]));
  const newPartitions: GluePartition[] = [];
  for (const directory of partitionsIn(stagingDir)) {
    const values = partitionValues(directory);
    if (!registered.has(values.join('\u0000'))) newPartitions.push({ values, location: `${table.location}${directory.split(path.sep).join('/')}/` });
  }
  return {
    destinationOf: (file) => {
      const partition = registered.get(partitionValues(path.dirname(file)).join('\u0000'));
      return partition ? path.join(s3.pathOf(partition.location), path.basename(file)) : path.join(layout.dataDirectory, file);
    },
    newPartitions,
  };
}

/** The partitions a Hive CTAS registers: each `key=value/` directory it wrote, under its location. */
export function ctasPartitions(location: string, stagingDir: string): GluePartition[] {
  return partitionsIn(stagingDir).map((directory) => ({ values: partitionValues(directory), location: `${location}${directory.split(path.sep).join('/')}/` }));
}

/** The values of a `k1=v1/k2=v2` directory, decoded as DuckDB's hive-partitioned COPY encodes them. */
export function partitionValues(directory: string): string[] {
  return directory.split(path.sep).filter((segment) => segment.includes('=')).map((segment) => decodeURIComponent(segment.slice(segment.indexOf('=') + 1)));
}
