import { DuckDBConnection } from '@duckdb/node-api';

const MAX_CONCAT_ARGUMENTS = 10;

const REFUSED_DATE_ADD = "The KeepDataUpToDate local runner does not support Athena''s date_add(unit, value, timestamp): DuckDB has no equivalent that keeps the argument''s type. Compare with a literal or an execution parameter instead.";
const REFUSED_ISO_DATE = "The KeepDataUpToDate local runner does not support Athena''s from_iso8601_date of a week or ordinal date: only YYYY-MM-DD is translated faithfully";

/**
 * DuckDB macros that the translated query bodies call (see trino/), so that a query means what
 * it means in Athena. Temporary macros take precedence over DuckDB's built-in functions.
 *
 * Trino's errors, as its documentation and operators word them:
 * - "Division by zero" for an integer or decimal divisor of zero
 *   (https://trino.io/docs/current/functions/conditional.html#try; DuckDB returns NULL);
 * - "Cannot cast 'P332a' to BIGINT" for a varchar that is not an integer (same page; DuckDB
 *   rounds '1.5' to 2);
 * - "Key not present in map" and array subscripts past the end
 *   (https://trino.io/docs/current/functions/map.html, array.html; DuckDB returns NULL).
 */
const MACROS: string[] = [
  // concat(a, b, …) is NULL when any argument is (DuckDB's skips NULLs).
  `concat${Array.from({ length: MAX_CONCAT_ARGUMENTS - 1 }, (_overload, i) => {
    const parameters = Array.from({ length: i + 2 }, (_parameter, j) => `a${j}`);
    return `(${parameters.join(', ')}) AS ${parameters.join(' || ')}`;
  }).join(', ')}`,
  `trino_date_add(unit, value, x) AS error('${REFUSED_DATE_ADD}')`,
  // The type probe (trino/type-probe.ts): binding fails with the operand types in the message.
  "trino_empty_struct() AS {'none': NULL}",
  "trino_divide(a, b) AS CASE WHEN b = 0 THEN error('DIVISION_BY_ZERO: Division by zero') ELSE a / b END",
  "trino_modulus(a, b) AS CASE WHEN b = 0 THEN error('DIVISION_BY_ZERO: Division by zero') ELSE a % b END",
  // A decimal's digits as an integer: '-1.50' is -150.
  "trino_unscaled(x) AS CAST(replace(CAST(x AS VARCHAR), '.', '') AS HUGEINT)",
  // ua / ub * 10^f rounded HALF_UP, on unscaled values (Trino's DecimalOperators.divide).
  `trino_decimal_quotient(ua, ub, f) AS CASE WHEN ub = 0 THEN error('DIVISION_BY_ZERO: Division by zero')
    ELSE sign(ua) * sign(ub) * ((2 * abs(ua) * CAST('1' || repeat('0', f) AS HUGEINT) // abs(ub) + 1) // 2) END`,
  `trino_decimal_quotient_or_null(ua, ub, f) AS CASE WHEN ub <> 0
    THEN sign(ua) * sign(ub) * ((2 * abs(ua) * CAST('1' || repeat('0', f) AS HUGEINT) // abs(ub) + 1) // 2) END`,
  // "If the index is larger than the number of fields, then null is returned." (string.html)
  `trino_split_part(s, delimiter, i) AS CASE WHEN i <= 0 THEN error('INVALID_FUNCTION_ARGUMENT: Index must be greater than zero')
    WHEN i > len(string_split(s, delimiter)) THEN NULL ELSE split_part(s, delimiter, i) END`,
  `trino_from_iso8601_date(s) AS CASE WHEN s IS NULL OR regexp_full_match(s, '\\d{4}-\\d{2}-\\d{2}') THEN CAST(s AS DATE) ELSE error('${REFUSED_ISO_DATE}') END`,
  `trino_integer_text(s, target) AS CASE WHEN s IS NULL OR regexp_full_match(trim(s), '[+-]?[0-9]+') THEN trim(s)
    ELSE error('INVALID_CAST_ARGUMENT: Cannot cast ''' || s || ''' to ' || target) END`,
  "trino_integer_text_or_null(s) AS CASE WHEN regexp_full_match(trim(s), '[+-]?[0-9]+') THEN trim(s) END",
  // "The number of characters removed defaults to the length of replacement" (string.html).
  'trino_overlay(s, replacement, start, n) AS substr(s, 1, start - 1) || replacement || substr(s, start + greatest(n, 0))',
  // slice(x, start, length); a negative start counts from the end.
  'trino_slice(a, start, n) AS list_slice(a, start, start + n - 1)',
  'trino_flatten(a) AS flatten(a)',
  // "Null elements are omitted in the result." (array.html)
  'trino_array_join(a, delimiter) AS array_to_string(a, delimiter)',
  "trino_map_subscript(m, k) AS CASE WHEN NOT map_contains(m, k) THEN error('INVALID_FUNCTION_ARGUMENT: Key not present in map: ' || CAST(k AS VARCHAR)) ELSE m[k] END",
  // Whole units elapsed (https://trino.io/docs/current/functions/datetime.html: "timestamp2 - timestamp1 expressed in terms of unit").
  'trino_date_diff(unit, a, b) AS date_sub(unit, a, b)',
  'trino_regexp_count(s, pattern) AS CAST(len(regexp_extract_all(s, pattern)) AS BIGINT)',
  // Every match is replaced (Trino's regexp_replace), not only the first (DuckDB's default).
  "trino_regexp_replace(s, pattern, replacement) AS regexp_replace(s, pattern, replacement, 'g')",
  'trino_to_base(x, radix) AS lower(to_base(x, radix))',
  "trino_is_json_scalar(x) AS json_type(CAST(x AS JSON)) NOT IN ('ARRAY', 'OBJECT')",
  'trino_json_format(x) AS CAST(json(x) AS VARCHAR)',
  'trino_trim_array(a, n) AS list_slice(a, 1, len(a) - n)',
  // "the position of the first occurrence of the element in array x (or 0 if not found)"
  'trino_array_position(a, x) AS CAST(coalesce(list_position(a, x), 0) AS BIGINT)',
  // "Null elements will be placed at the end of the returned array."
  "trino_array_sort(a) AS list_sort(a, 'ASC', 'NULLS LAST')",
  'trino_map_size(m) AS CAST(len(map_keys(m)) AS BIGINT)',
  'trino_array_size(a) AS CAST(len(a) AS BIGINT)',
  // element_at: NULL for a missing key or an index past the end; a negative index counts from the end.
  'trino_map_element(m, k) AS map_extract_value(m, k)',
  'trino_array_element(a, i) AS CASE WHEN i = 0 THEN error(\'INVALID_FUNCTION_ARGUMENT: SQL array indices start at 1\') ELSE list_extract(a, i) END',
  `trino_array_subscript(a, i) AS CASE WHEN i < 1 THEN error('INVALID_FUNCTION_ARGUMENT: SQL array indices start at 1')
    WHEN i > len(a) THEN error('INVALID_FUNCTION_ARGUMENT: Array subscript must be less than or equal to array length: ' || i || ' > ' || len(a)) ELSE a[i] END`,
];

export async function defineTrinoFunctions(connection: DuckDBConnection): Promise<void> {
  for (const macro of MACROS) await connection.run(`CREATE OR REPLACE TEMP MACRO ${macro}`);
}
