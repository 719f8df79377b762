/** A DuckDB identifier, always quoted so that any Glue name is taken literally. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A DuckDB string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
