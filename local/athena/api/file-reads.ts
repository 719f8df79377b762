import { DuckDBConnection } from '@duckdb/node-api';

/** What a statement read from one file. */
export interface FileRead {
  readonly path: string;
  /**
   * The bytes read, footer included, each counted once: DuckDB reads some ranges twice (a
   * footer when it opens the file and again when it scans it), which Athena does not.
   */
  readonly bytes: number;
  /**
   * The bytes read other than the file's footer: 0 when the file was opened only for its schema
   * (DuckDB reads the first file of a table to bind a query) or its row counts.
   */
  readonly dataBytes: number;
}

/**
 * Has DuckDB log every read it makes from a file, with its offset and length. DuckDB's
 * `total_bytes_read` profile metric does not count Parquet column data, and its file caches
 * would hide a second read of the same bytes, so they are turned off: Athena bills every query
 * for what it reads.
 */
export async function recordFileReads(connection: DuckDBConnection): Promise<void> {
  await connection.run('SET enable_external_file_cache = false');
  await connection.run("CALL enable_logging('FileSystem')");
}

/** Forgets the reads logged so far. */
export async function clearFileReads(connection: DuckDBConnection): Promise<void> {
  await connection.run('CALL truncate_duckdb_logs()');
}

/** The Parquet files read since the last `clearFileReads`, then clears the log. */
export async function takeFileReads(connection: DuckDBConnection): Promise<FileRead[]> {
  const reads = await fileReadsSoFar(connection);
  await clearFileReads(connection);
  return reads;
}

/** The Parquet files read since the last `clearFileReads`; the log is kept. */
export async function fileReadsSoFar(connection: DuckDBConnection): Promise<FileRead[]> {
  const reader = await connection.runAndReadAll(
    "SELECT path, CAST(pos AS BIGINT) AS pos, CAST(bytes AS BIGINT) AS bytes FROM duckdb_logs_parsed('FileSystem') WHERE op = 'READ' AND path LIKE '%.parquet'",
  );
  const byPath = new Map<string, Array<{ pos: number; bytes: number }>>();
  for (const row of reader.getRowObjectsJS()) {
    const reads = byPath.get(String(row.path)) ?? [];
    reads.push({ pos: Number(row.pos), bytes: Number(row.bytes) });
    byPath.set(String(row.path), reads);
  }
  return [...byPath.entries()].map(([path, reads]) => {
    // A Parquet file ends with its footer, then the footer's length and "PAR1" (8 bytes);
    // DuckDB reads those 8 bytes, then the footer, each time it opens the file.
    const size = Math.max(...reads.map((read) => read.pos + read.bytes));
    const footerStart = Math.min(...reads.filter((read) => read.pos + read.bytes >= size - 8).map((read) => read.pos));
    return { path, bytes: distinctBytes(reads, size), dataBytes: distinctBytes(reads, footerStart) };
  }).sort((a, b) => a.path.localeCompare(b.path));
}

/** How many distinct bytes before `end` the reads cover. */
function distinctBytes(reads: Array<{ pos: number; bytes: number }>, end: number): number {
  let covered = 0;
  let reached = 0;
  for (const read of [...reads].sort((a, b) => a.pos - b.pos)) {
    const from = Math.max(read.pos, reached);
    const to = Math.min(read.pos + read.bytes, end);
    if (to > from) covered += to - from;
    reached = Math.max(reached, read.pos + read.bytes);
  }
  return covered;
}
