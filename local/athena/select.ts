import { AthenaQueryError } from './errors';
import { queryColumns } from './query-columns';
import { QueryContext, StatementOutcome } from './query-context';
import { Select } from './statement';

/** A plain query: its rows are kept for GetQueryResults. */
export async function select(context: QueryContext, statement: Select): Promise<StatementOutcome> {
  const columns = await queryColumns(context.connection, statement.query, context.statement);
  try {
    const reader = await context.connection.runAndReadAll(statement.query);
    const rows = reader.getRowsJson().map((row) => row.map((value) => (value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value))));
    return { rows: rows.length, resultSet: { columns, rows } };
  } catch (error) {
    throw new AthenaQueryError((error as Error).message);
  }
}
