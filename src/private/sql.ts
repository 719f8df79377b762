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
  return `SELECT v, '''' || replace(v, '''', '''''') || '''' AS literal FROM (SELECT CAST(max(${quoteIdentifier(column)}) AS varchar) AS v FROM ${from})`;
}
