import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, quoteString } from './identifiers';
import { AthenaQueryError } from '../api/errors';

export interface WriteParquetOptions {
  /** The query whose rows are written. */
  readonly query: string;
  /** The columns to write, by position in the query: their names and DuckDB types in the table. */
  readonly columns: ReadonlyArray<{ name: string; type: string }>;
  readonly partitionedBy: readonly string[];
  /** DuckDB's name of the Parquet codec. */
  readonly compression: string;
  /** An empty directory to write into; nothing outside it is touched. */
  readonly stagingDir: string;
  /** Starts each file name, so that files of different queries never collide in one partition. */
  readonly filePrefix: string;
}

/**
 * Writes a query's rows as (hive-partitioned) Parquet into a staging directory and returns the
 * row count. Columns are taken by position, renamed and cast to the table's, as Athena's
 * INSERT does.
 */
export async function writeParquet(connection: DuckDBConnection, options: WriteParquetOptions): Promise<number> {
  fs.mkdirSync(options.stagingDir, { recursive: true });
  const positional = options.columns.map((_column, i) => `c${i}`);
  const select = options.columns
    .map((column, i) => `CAST(${positional[i]} AS ${column.type}) AS ${quoteIdentifier(column.name)}`)
    .join(', ');
  const source = `SELECT ${select} FROM (${options.query}) AS q(${positional.join(', ')})`;
  const target = options.partitionedBy.length > 0
    ? `${quoteString(options.stagingDir)} (FORMAT PARQUET, COMPRESSION ${quoteString(options.compression)}, PARTITION_BY (${options.partitionedBy.map(quoteIdentifier).join(', ')}), FILENAME_PATTERN ${quoteString(`${options.filePrefix}_{i}`)})`
    : `${quoteString(path.join(options.stagingDir, `${options.filePrefix}_0.parquet`))} (FORMAT PARQUET, COMPRESSION ${quoteString(options.compression)})`;
  try {
    const result = await connection.runAndReadAll(`COPY (${source}) TO ${target}`);
    return Number(result.getRowsJS()[0][0]);
  } catch (error) {
    throw new AthenaQueryError((error as Error).message);
  }
}

/**
 * Moves every file of a staging directory to the same relative path under the table's
 * directory. Called only once the query has succeeded, so a failed query leaves the table as it was.
 * Files of an empty result are dropped: an INSERT of no rows adds no files.
 */
export function publish(stagingDir: string, tableDir: string, rows: number): void {
  if (rows > 0 && fs.existsSync(stagingDir)) {
    for (const file of fs.readdirSync(stagingDir, { recursive: true }) as string[]) {
      const from = path.join(stagingDir, file);
      if (!fs.statSync(from).isFile()) continue;
      const to = path.join(tableDir, file);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(from, to);
    }
  }
  fs.mkdirSync(tableDir, { recursive: true });
  fs.rmSync(stagingDir, { recursive: true, force: true });
}

/**
 * Like `publish`, but each file goes where `destinationOf` says (a registered partition's own location).
 */
export function publishTo(stagingDir: string, destinationOf: (stagedFile: string) => string, rows: number): void {
  if (rows > 0 && fs.existsSync(stagingDir)) {
    for (const file of fs.readdirSync(stagingDir, { recursive: true }) as string[]) {
      const from = path.join(stagingDir, file);
      if (!fs.statSync(from).isFile()) continue;
      const to = destinationOf(file);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(from, to);
    }
  }
  fs.rmSync(stagingDir, { recursive: true, force: true });
}

/**
 * Puts a staging directory in the place of a table's data directory, keeping the old one
 * until the new one is in place, so that a statement that rewrites a table (MERGE) leaves it
 * either as it was or wholly rewritten. Files of an empty result are dropped.
 */
export function replaceDirectory(stagingDir: string, tableDir: string, rows: number): void {
  if (rows === 0) fs.rmSync(stagingDir, { recursive: true, force: true });
  fs.mkdirSync(stagingDir, { recursive: true });
  fs.mkdirSync(path.dirname(tableDir), { recursive: true });
  const replaced = `${tableDir}.replaced-${path.basename(stagingDir)}`;
  const hadData = fs.existsSync(tableDir);
  if (hadData) fs.renameSync(tableDir, replaced);
  try {
    fs.renameSync(stagingDir, tableDir);
  } catch (error) {
    if (hadData) fs.renameSync(replaced, tableDir);
    throw error;
  }
  fs.rmSync(replaced, { recursive: true, force: true });
}
