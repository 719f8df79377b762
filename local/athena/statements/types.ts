import { UnsupportedStatementError } from '../api/errors';

/** DuckDB types and the Hive type names Glue stores for them. */
const DUCKDB_TO_GLUE: Record<string, string> = {
  BOOLEAN: 'boolean',
  TINYINT: 'tinyint',
  SMALLINT: 'smallint',
  INTEGER: 'int',
  BIGINT: 'bigint',
  FLOAT: 'float',
  DOUBLE: 'double',
  HUGEINT: 'bigint',
  UBIGINT: 'bigint',
  VARCHAR: 'string',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  BLOB: 'binary',
};

const GLUE_TO_DUCKDB: Record<string, string> = {
  ...Object.fromEntries(Object.entries(DUCKDB_TO_GLUE).map(([duckdbName, glue]) => [glue, duckdbName])),
  bigint: 'BIGINT',
  integer: 'INTEGER',
  varchar: 'VARCHAR',
  char: 'VARCHAR',
};

/**
 * The Glue column type for a DuckDB result column type. DuckDB's HUGEINT (its sum of integers)
 * and UBIGINT (its counts in histograms) are Trino's bigint: Trino sums every integer type as a
 * bigint (its LongSumAggregation) and counts as bigint; a value that does not fit fails the cast,
 * as Trino's overflow does.
 */
export function glueType(columnType: string, statement: string): string {
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(columnType);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  if (columnType.endsWith('[]')) return `array<${glueType(columnType.slice(0, -2), statement)}>`;
  const map = /^MAP\((.*)\)$/.exec(columnType);
  if (map) {
    const [key, value] = splitTopLevel(map[1]);
    return `map<${glueType(key, statement)},${glueType(value, statement)}>`;
  }
  const type = DUCKDB_TO_GLUE[columnType];
  if (!type) throw new UnsupportedStatementError(`a query column of DuckDB type ${columnType}, which has no Glue type here`, statement);
  return type;
}

/** The DuckDB type that reads a Glue column. */
export function duckdbType(glueColumnType: string): string {
  const normalized = glueColumnType.toLowerCase().replace(/\s+/g, '');
  const array = /^array<(.*)>$/.exec(normalized);
  if (array) return `${duckdbType(array[1])}[]`;
  const map = /^map<(.*)>$/.exec(normalized);
  if (map) {
    const [key, value] = splitTopLevel(map[1]);
    return `MAP(${duckdbType(key)}, ${duckdbType(value)})`;
  }
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(normalized);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  const type = GLUE_TO_DUCKDB[normalized.replace(/\(\d+\)$/, '')];
  if (!type) throw new Error(`The local runner cannot read Glue column type '${glueColumnType}'`);
  return type;
}

const INTEGER_WIDTHS = ['tinyint', 'smallint', 'int', 'bigint'];

/** The decimal(p, 0) each integer type coerces to in Trino. */
const INTEGER_DECIMALS: Record<string, number> = { tinyint: 3, smallint: 5, int: 10, bigint: 19 };

/**
 * Whether Athena inserts a value of type `from` into a column of type `to`: the same type, a
 * wider integer, an integer into a decimal with room for all its digits, a decimal into any
 * decimal (the value rounded to the column's scale; one that does not fit fails), a real into a
 * double, an integer or decimal into a double. Anything else (bigint into int, varchar into a
 * number, a double into a decimal) fails with "Insert query has mismatched column types".
 * Athena's and Trino's documentation do not list INSERT's coercions; these are Trino's implicit
 * coercions between numeric types, with the decimal-to-decimal cast Trino applies on insert.
 */
export function isInsertCoercible(from: string, to: string): boolean {
  if (from === to) return true;
  const fromWidth = INTEGER_WIDTHS.indexOf(from);
  const toWidth = INTEGER_WIDTHS.indexOf(to);
  if (fromWidth >= 0 && toWidth >= 0) return fromWidth <= toWidth;
  const target = /^decimal\((\d+),(\d+)\)$/.exec(to);
  if (target && from in INTEGER_DECIMALS) return Number(target[1]) - Number(target[2]) >= INTEGER_DECIMALS[from];
  if (target && from.startsWith('decimal(')) return true;
  if (to === 'double') return from === 'float' || from in INTEGER_DECIMALS || from.startsWith('decimal(');
  return false;
}

/** Splits `a, b` at its top-level comma: the key and value types of a map. */
function splitTopLevel(types: string): [string, string] {
  let depth = 0;
  for (let i = 0; i < types.length; i++) {
    if ('(<'.includes(types[i])) depth++;
    if (')>'.includes(types[i])) depth--;
    if (types[i] === ',' && depth === 0) return [types.slice(0, i).trim(), types.slice(i + 1).trim()];
  }
  return [types, ''];
}
