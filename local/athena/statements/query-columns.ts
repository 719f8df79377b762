import { DuckDBConnection } from '@duckdb/node-api';
import { checkLiteralTypes } from './literal-types';
import { AthenaQueryError, UnsupportedStatementError } from '../api/errors';

/** A column of a query's result, named as Athena names it (lower case). */
export interface QueryColumn {
  readonly name: string;
  /** The DuckDB type of the column. */
  readonly type: string;
}

/**
 * The columns a query returns. DuckDB's own parser first checks that the text is exactly one
 * SELECT, so that nothing but a query reaches the engine from inside a CTAS or INSERT.
 */
export async function queryColumns(connection: DuckDBConnection, query: string, statement: string): Promise<QueryColumn[]> {
  const parsed = JSON.parse(
    (await connection.runAndReadAll('SELECT json_serialize_sql(CAST($query AS VARCHAR)) AS ast', { query })).getRowObjectsJS()[0].ast as string,
  ) as { error: boolean; error_type?: string; error_message?: string; statements?: unknown[] };
  if (parsed.error) {
    if (parsed.error_type === 'not implemented') throw new UnsupportedStatementError('a query that is not a SELECT', statement);
    throw new AthenaQueryError(parsed.error_message ?? 'syntax error');
  }
  if (parsed.statements?.length !== 1) throw new UnsupportedStatementError('more than one statement in a query', statement);
  await checkLiteralTypes(connection, query);
  try {
    const prepared = await connection.prepare(query);
    return Array.from({ length: prepared.columnCount }, (_column, i) => ({
      name: prepared.columnName(i).toLowerCase(),
      type: prepared.columnType(i).toString(),
    }));
  } catch (error) {
    throw new AthenaQueryError((error as Error).message);
  }
}
