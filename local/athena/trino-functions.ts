import { DuckDBConnection } from '@duckdb/node-api';

const MAX_CONCAT_ARGUMENTS = 10;

/**
 * Trino functions whose DuckDB namesakes behave differently, redefined as DuckDB macros (which
 * take precedence over built-in functions) so that a query means what it means in Athena:
 *
 * - `concat(a, b, …)` is NULL when any argument is (DuckDB's skips NULLs);
 * - `date_add(unit, value, timestamp)` keeps its argument's type in Trino, which no DuckDB
 *   expression can do for every type: it is refused, with the construct named, rather than
 *   run with a different result type.
 */
export async function defineTrinoFunctions(connection: DuckDBConnection): Promise<void> {
  const concatOverloads = Array.from({ length: MAX_CONCAT_ARGUMENTS - 1 }, (_overload, i) => {
    const parameters = Array.from({ length: i + 2 }, (_parameter, j) => `a${j}`);
    return `(${parameters.join(', ')}) AS ${parameters.join(' || ')}`;
  });
  await connection.run(`CREATE OR REPLACE TEMP MACRO concat${concatOverloads.join(', ')}`);
  await connection.run(
    "CREATE OR REPLACE TEMP MACRO date_add(unit, value, x) AS error('The KeepDataUpToDate local runner does not support Athena''s date_add(unit, value, timestamp): DuckDB has no equivalent that keeps the argument''s type. Compare with a literal or an execution parameter instead.')",
  );
}
