import { QueryColumn, queryColumns } from './query-columns';
import { QueryContext } from './query-context';
import { translateQuery } from '../trino/translate-query';

/** A query body ready for DuckDB: its translated SQL and the columns it returns. */
export interface QueryBody {
  readonly sql: string;
  readonly columns: QueryColumn[];
}

/**
 * Translates the Trino query body of a SELECT, CTAS or INSERT (see trino/translate-query.ts)
 * and describes its result columns.
 */
export async function prepareQueryBody(context: QueryContext, query: string): Promise<QueryBody> {
  const sql = await translateQuery(context.connection, query, context.statement);
  return { sql, columns: await queryColumns(context.connection, sql, context.statement) };
}
