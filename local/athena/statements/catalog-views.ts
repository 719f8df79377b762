import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, quoteString } from './identifiers';
import { isIceberg, tableLayout, TableLayout } from './table-layout';
import { duckdbType } from './types';
import { GlueCatalog, GlueTable } from '../../glue/glue-catalog';
import { LocalS3 } from '../../s3/local-s3';

/** The DuckDB database that holds the catalog's views, named like Athena's default catalog. */
export const ATHENA_CATALOG = 'awsdatacatalog';

/**
 * Exposes every catalog table to DuckDB as a view in a schema named like its Glue database, so
 * that `db.table` and `"db"."table"` resolve as they do in Athena. A partitioned table also
 * gets `"db"."table$partitions"`, which lists its partitions from directory names alone, as
 * Athena answers it from the catalog without reading data files (empty for a table that uses
 * partition projection). A partitioned Iceberg table's `$partitions` has Athena's (Trino's)
 * shape instead (see `icebergPartitionsQuery`).
 *
 * The views are recreated before each query: the files under a table change as queries run.
 */
export async function exposeCatalog(connection: DuckDBConnection, catalog: GlueCatalog, s3: LocalS3): Promise<void> {
  for (const database of catalog.databaseNames()) {
    const s3Tables = S3_TABLES_DATABASE.exec(database);
    if (s3Tables) await connection.run(`ATTACH IF NOT EXISTS ':memory:' AS ${quoteIdentifier(s3Tables[1])}`);
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schemaName(database)}`);
  }
  for (const table of catalog.tables()) {
    const layout = tableLayout(table, s3);
    const name = `${schemaName(table.databaseName)}.${quoteIdentifier(table.name)}`;
    if (table.partitions !== undefined && table.partitionKeys.length > 0) {
      // Only the registered partitions' files, wherever their locations are.
      const files = table.partitions.flatMap((partition) => {
        const directory = s3.pathOf(partition.location);
        return parquetFiles(directory).filter((file) => !file.includes(path.sep)).map((file) => path.join(directory, file));
      });
      await connection.run(`CREATE OR REPLACE VIEW ${name} AS ${tableQuery(layout, files.length > 0, files)}`);
      const partitionsName = `${schemaName(table.databaseName)}.${quoteIdentifier(`${table.name}$partitions`)}`;
      await connection.run(`CREATE OR REPLACE VIEW ${partitionsName} AS ${registeredPartitionsQuery(table)}`);
      continue;
    }
    const files = parquetFiles(layout.dataDirectory);
    await connection.run(`CREATE OR REPLACE VIEW ${name} AS ${tableQuery(layout, files.length > 0)}`);
    if (isIceberg(table) && layout.partitionColumns.length > 0) {
      const partitionsName = `${schemaName(table.databaseName)}.${quoteIdentifier(`${table.name}$partitions`)}`;
      await connection.run(`CREATE OR REPLACE VIEW ${partitionsName} AS ${icebergPartitionsQuery(layout, files)}`);
    } else if (table.partitionKeys.length > 0) {
      const partitionsName = `${schemaName(table.databaseName)}.${quoteIdentifier(`${table.name}$partitions`)}`;
      await connection.run(`CREATE OR REPLACE VIEW ${partitionsName} AS ${partitionsQuery(table, usesPartitionProjection(table) ? [] : files)}`);
    }
  }
}

/**
 * A namespace of an S3 table bucket is kept in the local catalog as the database
 * `s3tablescatalog/<bucket>/<namespace>`, and exposed as the schema `<namespace>` of a DuckDB
 * database `s3tablescatalog/<bucket>`, so that `"s3tablescatalog/<bucket>"."<namespace>"."<table>"`
 * resolves as in Athena (https://docs.aws.amazon.com/athena/latest/ug/gdc-register-s3-table-bucket-cat.html).
 */
const S3_TABLES_DATABASE = /^(s3tablescatalog\/[^/]+)\/([^/]+)$/;

/** The local catalog's database for a database (or namespace) of a catalog, as Athena names them. */
export function localDatabase(catalog: string | undefined, database: string): string {
  return catalog !== undefined && catalog.toLowerCase().startsWith('s3tablescatalog/') ? `${catalog.toLowerCase()}/${database}` : database;
}

/** Whether a local catalog database is a namespace of an S3 table bucket. */
export function isS3TablesDatabase(database: string): boolean {
  return S3_TABLES_DATABASE.test(database);
}

/** The DuckDB schema that holds the views of a local catalog database. */
export function schemaName(database: string): string {
  const s3Tables = S3_TABLES_DATABASE.exec(database);
  return s3Tables
    ? `${quoteIdentifier(s3Tables[1])}.${quoteIdentifier(s3Tables[2])}`
    : `${ATHENA_CATALOG}.${quoteIdentifier(database)}`;
}

/**
 * Whether a table's partitions are projected: Athena then computes them from the table's
 * properties, and ignores (and usually has none of) the partitions in the Glue catalog, which
 * is what `$partitions` lists, like SHOW PARTITIONS
 * (https://docs.aws.amazon.com/athena/latest/ug/show-partitions.html). The table's data is read
 * all the same.
 */
export function usesPartitionProjection(table: GlueTable): boolean {
  return table.parameters?.['projection.enabled']?.toLowerCase() === 'true';
}

/** The Parquet files under a table's location, as paths relative to it. */
export function parquetFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return (fs.readdirSync(directory, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.parquet'))
    .sort();
}

function tableQuery(layout: TableLayout, hasFiles: boolean, fileList?: string[]): string {
  const columns = layout.columns;
  if (!hasFiles) {
    const typed = columns.map((column) => `CAST(NULL AS ${duckdbType(column.type)}) AS ${quoteIdentifier(column.name)}`);
    return `SELECT ${typed.join(', ')} WHERE false`;
  }
  const options = layout.partitionColumns.length > 0
    ? `, hive_partitioning = true, hive_types = {${layout.partitionColumns.map((key) => `${quoteString(key.name)}: ${duckdbType(key.type)}`).join(', ')}}`
    : ', hive_partitioning = false';
  const files = fileList ? `[${fileList.map(quoteString).join(', ')}]` : quoteString(path.join(layout.dataDirectory, '**', '*.parquet'));
  return `SELECT ${columns.map((column) => quoteIdentifier(column.name)).join(', ')} FROM read_parquet(${files}${options})`;
}

/** `$partitions` of a table with registered partitions: each one, whether or not it has files, as Glue lists it. */
function registeredPartitionsQuery(table: GlueTable): string {
  const keys = table.partitionKeys;
  const partitions = usesPartitionProjection(table) ? [] : table.partitions ?? [];
  if (partitions.length === 0) {
    return `SELECT ${keys.map((key) => `CAST(NULL AS ${duckdbType(key.type)}) AS ${quoteIdentifier(key.name)}`).join(', ')} WHERE false`;
  }
  const columns = keys.map((_key, i) => `p${i}`);
  const typed = keys.map((key, i) => `CAST(${columns[i]} AS ${duckdbType(key.type)}) AS ${quoteIdentifier(key.name)}`);
  const values = partitions.map((partition) => `(${partition.values.map((value) => quoteString(value)).join(', ')})`);
  return `SELECT ${typed.join(', ')} FROM (VALUES ${values.join(', ')}) AS partitions(${columns.join(', ')})`;
}

function partitionsQuery(table: GlueTable, files: string[]): string {
  const keys = table.partitionKeys;
  const rows = new Map<string, string[]>();
  for (const file of files) {
    const values = keys.map((key) => {
      const segment = path.dirname(file).split(path.sep).find((part) => part.startsWith(`${key.name}=`));
      return segment === undefined ? undefined : decodeURIComponent(segment.slice(key.name.length + 1));
    });
    if (values.every((value): value is string => value !== undefined)) rows.set(values.join('\u0000'), values);
  }
  const select = (values: Array<string | undefined>) => keys
    .map((key, i) => `CAST(${values[i] === undefined ? 'NULL' : quoteString(values[i]!)} AS ${duckdbType(key.type)}) AS ${quoteIdentifier(key.name)}`)
    .join(', ');
  if (rows.size === 0) return `SELECT ${select([])} WHERE false`;
  // One VALUES list rather than a UNION ALL per partition: a year of days binds in a fraction of the time.
  const columns = keys.map((_key, i) => `p${i}`);
  const typed = keys.map((key, i) => `CAST(${columns[i]} AS ${duckdbType(key.type)}) AS ${quoteIdentifier(key.name)}`);
  const values = [...rows.values()].map((row) => `(${row.map((value) => quoteString(value)).join(', ')})`);
  return `SELECT ${typed.join(', ')} FROM (VALUES ${values.join(', ')}) AS partitions(${columns.join(', ')})`;
}

/**
 * `$partitions` of a partitioned Iceberg table: one row per partition that has data files in
 * the current snapshot, its values in a `partition` row with a field per identity-partitioned
 * column, with `file_count` and `total_size`. Athena's guide says only that it "shows a table's
 * current partitions" (https://docs.aws.amazon.com/athena/latest/ug/querying-iceberg-table-metadata.html);
 * the columns are those of Trino's Iceberg connector
 * (https://trino.io/docs/current/connector/iceberg.html#partitions-table). Athena reads them from
 * the table's manifests, never from a data file; here they come from the data files' directory
 * names and sizes, so no file is opened. `record_count` and `data` (per-column bounds) would need
 * the files' footers, which the local runner keeps no manifest of: they are not modelled, and a
 * query that names them fails here rather than answer wrongly.
 */
function icebergPartitionsQuery(layout: TableLayout, files: string[]): string {
  const keys = layout.partitionColumns;
  const struct = `STRUCT(${keys.map((key) => `${quoteIdentifier(key.name)} ${duckdbType(key.type)}`).join(', ')})`;
  const byPartition = new Map<string, { values: string[]; files: number; bytes: number }>();
  for (const file of files) {
    const segments = path.dirname(file).split(path.sep);
    const values = keys.map((key) => {
      const segment = segments.find((part) => part.startsWith(`${key.name}=`));
      return segment === undefined ? undefined : decodeURIComponent(segment.slice(key.name.length + 1));
    });
    if (!values.every((value): value is string => value !== undefined)) continue;
    const entry = byPartition.get(values.join('\u0000')) ?? { values, files: 0, bytes: 0 };
    entry.files += 1;
    entry.bytes += fs.statSync(path.join(layout.dataDirectory, file)).size;
    byPartition.set(values.join('\u0000'), entry);
  }
  if (byPartition.size === 0) {
    return `SELECT CAST(NULL AS ${struct}) AS "partition", CAST(NULL AS BIGINT) AS file_count, CAST(NULL AS BIGINT) AS total_size WHERE false`;
  }
  const columns = keys.map((_key, i) => `p${i}`);
  const fields = keys.map((key, i) => `${quoteString(key.name)}: CAST(${columns[i]} AS ${duckdbType(key.type)})`);
  const values = [...byPartition.values()].map((entry) => `(${entry.values.map((value) => quoteString(value)).join(', ')}, ${entry.files}, ${entry.bytes})`);
  return `SELECT {${fields.join(', ')}} AS "partition", CAST(file_count AS BIGINT) AS file_count, CAST(total_size AS BIGINT) AS total_size`
    + ` FROM (VALUES ${values.join(', ')}) AS partitions(${columns.join(', ')}, file_count, total_size)`;
}
