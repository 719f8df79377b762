/** Quotes an identifier for Athena (Trino): double quotes, inner ones doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a value as an Athena string literal: single quotes, inner ones doubled. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A query whose one result row holds the newest value of `expression`'s column as text and the
 * same value as a quoted SQL literal, ready to pass back as an execution parameter. Athena
 * quotes it, so a value with a quote in it cannot change the next statement.
 */
export function newestValueQuery(column: string, from: string): string {
  return literalQuery(`SELECT CAST(max(${quoteIdentifier(column)}) AS varchar) AS v FROM ${from}`);
}

/**
 * Like `newestValueQuery`, but the value is the (skip+1)-th newest distinct value, so that the
 * `skip` newest ones are loaded again; NULL when there are no more than `skip` values, so that
 * everything is loaded again.
 */
export function lookbackValueQuery(column: string, from: string, skip: number): string {
  const quoted = quoteIdentifier(column);
  return literalQuery(
    `SELECT CAST(CASE WHEN count(*) > ${skip} THEN min(${quoted}) END AS varchar) AS v`
    + ` FROM (SELECT ${quoted} FROM ${from} GROUP BY ${quoted} ORDER BY ${quoted} DESC LIMIT ${skip + 1})`,
  );
}

function literalQuery(valueQuery: string): string {
  return `SELECT v, '''' || replace(v, '''', '''''') || '''' AS literal FROM (${valueQuery})`;
}
