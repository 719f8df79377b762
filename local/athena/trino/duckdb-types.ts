/** DuckDB's integer types and the decimal precision Trino gives each when it meets a decimal. */
const INTEGER_PRECISION: Record<string, number> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 19, HUGEINT: 19 };

export const isInteger = (type: string): boolean => type in INTEGER_PRECISION;
export const isFloating = (type: string): boolean => type === 'DOUBLE' || type === 'FLOAT';
export const isDecimal = (type: string): boolean => type.startsWith('DECIMAL');
export const isNumeric = (type: string): boolean => isInteger(type) || isFloating(type) || isDecimal(type);
/** DuckDB's type of an untyped NULL. */
export const isNull = (type: string): boolean => type === '"NULL"' || type === 'NULL';
export const isList = (type: string): boolean => type.endsWith('[]');
export const isMap = (type: string): boolean => type.startsWith('MAP(');

/** A decimal or integer type as Trino's decimal(p, s). */
export function decimalOf(type: string): { precision: number; scale: number } {
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return { precision: Number(decimal[1]), scale: Number(decimal[2]) };
  return { precision: INTEGER_PRECISION[type], scale: 0 };
}

const TRINO_NAMES: Record<string, string> = {
  'TINYINT': 'tinyint',
  'SMALLINT': 'smallint',
  'INTEGER': 'integer',
  'BIGINT': 'bigint',
  'HUGEINT': 'bigint',
  'FLOAT': 'real',
  'DOUBLE': 'double',
  'VARCHAR': 'varchar',
  'BOOLEAN': 'boolean',
  'DATE': 'date',
  'TIMESTAMP': 'timestamp(3)',
  'TIMESTAMP_S': 'timestamp(3)',
  'TIMESTAMP_MS': 'timestamp(3)',
  'TIMESTAMP_NS': 'timestamp(3)',
  'TIMESTAMP WITH TIME ZONE': 'timestamp(3) with time zone',
  'TIME': 'time(3)',
  'JSON': 'json',
  'INTERVAL': 'interval day to second',
};

/** Trino's name for a DuckDB type, as Trino's error messages write it. */
export function trinoTypeName(type: string): string {
  if (isList(type)) return `array(${trinoTypeName(type.slice(0, -2))})`;
  if (isDecimal(type)) return type.toLowerCase().replace(/\s+/g, '');
  return TRINO_NAMES[type] ?? type.toLowerCase();
}
