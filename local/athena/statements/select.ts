import { prepareQueryBody } from './query-body';
import { QueryContext, StatementOutcome } from './query-context';
import { Select } from './statement';
import { AthenaQueryError } from '../api/errors';

/** A plain query: its rows are kept for GetQueryResults. */
export async function select(context: QueryContext, statement: Select): Promise<StatementOutcome> {
  const { sql, columns } = await prepareQueryBody(context, statement.query);
  try {
    const reader = await context.connection.runAndReadAll(sql);
    const rows = reader.getRowsJson().map((row) => row.map((value) => (value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value))));
    return { rows: rows.length, resultSet: { columns, rows } };
  } catch (error) {
    throw new AthenaQueryError((error as Error).message);
  }
}
