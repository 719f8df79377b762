import * as path from 'node:path';
import { GlueColumn, GlueTable } from '../../glue/glue-catalog';
import { LocalS3 } from '../../s3/local-s3';

/** Where a table's Parquet files are and how they are laid out. */
export interface TableLayout {
  /** Every column, in the table's order. */
  readonly columns: GlueColumn[];
  /** The columns whose values name the directories (`dt=2026-01-01/`) the files are in, outermost first. */
  readonly partitionColumns: GlueColumn[];
  /** The directory holding the data files. */
  readonly dataDirectory: string;
}

export function isIceberg(table: GlueTable): boolean {
  return table.tableType === 'ICEBERG';
}

/**
 * A Hive table keeps its files under its location, partition keys last. An Iceberg table keeps
 * them under `data/` of its location, as Athena does, partitioned by its (identity)
 * `partitioning` columns wherever they are in the column list; its snapshots and manifests are
 * not kept: a statement that changes rows replaces the `data/` directory as a whole.
 */
export function tableLayout(table: GlueTable, s3: LocalS3): TableLayout {
  const location = s3.pathOf(table.location);
  if (!isIceberg(table)) {
    return { columns: [...table.columns, ...table.partitionKeys], partitionColumns: table.partitionKeys, dataDirectory: location };
  }
  const partitionColumns = (table.partitioning ?? []).map((name) => {
    const column = table.columns.find((candidate) => candidate.name === name);
    if (!column) throw new Error(`The local catalog's Iceberg table ${table.databaseName}.${table.name} is partitioned by a column it does not have: ${name}`);
    return column;
  });
  return { columns: table.columns, partitionColumns, dataDirectory: path.join(location, 'data') };
}
