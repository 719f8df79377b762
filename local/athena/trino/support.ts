/**
 * What the local runner does with each Athena (Trino) function, operator and special form it
 * meets in a query body. A construct not listed here is refused: the query fails with an error
 * that names it, rather than run with a meaning Athena does not give it. docs/local-sql.md is
 * this list for readers (a test keeps the two the same).
 *
 * - `same`: DuckDB's function of that name (or polyglot's rename) behaves as Trino's, and a
 *   conformance case shows it;
 * - `translated`: rewritten so that it does (the note says how).
 */
export const SUPPORTED: Record<string, { readonly family: string; readonly support: 'same' | 'translated' | 'refused when evaluated'; readonly note?: string }> = {};

/** Constructs refused with a reason more useful than "not supported". */
export const REFUSED: Record<string, string> = {};

function add(family: string, support: 'same' | 'translated' | 'refused when evaluated', names: string[], note?: string): void {
  for (const name of names) SUPPORTED[name] = { family, support, note };
}

const OPERATORS = 'operators and literals';
add(OPERATORS, 'same', ['=', '<>', '<', '<=', '>', '>=', 'AND', 'OR', 'NOT', 'IS NULL', 'BETWEEN', 'IN', 'LIKE', 'IS DISTINCT FROM', 'IS NOT DISTINCT FROM', 'unary -', "'…'", 'number', "DATE '…'", "TIMESTAMP '…'", 'INTERVAL', 'UNNEST', 'exists', 'all']);
add(OPERATORS, 'translated', ['+', '-', '*'], 'fails, as Trino does, on varchar operands ("Cannot apply operator"); date ± day interval stays a date');
add(OPERATORS, 'translated', ['/'], 'integer division truncates and fails on zero ("Division by zero"); decimal division has Trino\'s precision, scale and HALF_UP rounding');
add(OPERATORS, 'translated', ['%', 'mod'], 'fails on a zero divisor ("Division by zero")');
add(OPERATORS, 'translated', ['||'], 'varchar || varchar and array concatenation only; other operand types fail as in Trino');
add('conditionals', 'same', ['CASE', 'if', 'coalesce', 'nullif', 'greatest', 'least']);
add('conditionals', 'translated', ['try'], 'division and casts inside it return NULL instead of failing');
add('casts', 'translated', ['CAST'], 'DECIMAL \'…\' literals typed by their digits; varchar to an integer type fails on anything but digits ("Cannot cast"); double to integer rounds half up; JSON to varchar unquotes');
add('casts', 'same', ['TRY_CAST']);
add('math', 'same', ['abs', 'sqrt', 'power', 'pi', 'exp', 'ln', 'log2', 'log10', 'degrees', 'radians', 'floor', 'ceil', 'is_nan']);
add('math', 'translated', ['nan', 'infinity', 'is_finite', 'is_infinite'], 'DuckDB\'s NaN and Infinity, isfinite and isinf');
add('math', 'translated', ['sign'], 'keeps its argument\'s type');
add('math', 'translated', ['e'], 'exp(1)');
add('math', 'translated', ['to_base'], 'lower-case digits');
add('dates and times', 'same', ['extract', 'year', 'month', 'day', 'hour', 'minute', 'second', 'quarter', 'day_of_week', 'day_of_year']);
add('dates and times', 'same', ['current_date'], 'the UTC date, as Athena\'s session time zone is UTC');
add('dates and times', 'translated', ['date_trunc'], 'a date stays a date');
add('dates and times', 'refused when evaluated', ['date_add'], 'DuckDB has no function that keeps its argument\'s type');
add('dates and times', 'translated', ['date_diff'], 'counts whole units elapsed (DuckDB\'s date_sub), not boundaries crossed');
add('dates and times', 'translated', ['date_format', 'date_parse'], 'MySQL format specifiers converted to strftime\'s');
add('dates and times', 'translated', ['from_iso8601_date'], 'calendar dates (YYYY-MM-DD); week and ordinal dates are refused when met');
add('strings', 'same', ['length', 'lower', 'upper', 'substring', 'trim', 'ltrim', 'rtrim', 'reverse', 'lpad', 'rpad', 'strpos', 'starts_with', 'translate', 'chr', 'concat_ws']);
add('strings', 'translated', ['replace'], 'with two arguments, removes every instance');
add('strings', 'translated', ['overlay'], 'substrings around the replacement');
add('strings', 'translated', ['concat'], 'NULL when any argument is NULL; varchar arguments only');
add('strings', 'translated', ['split_part'], 'NULL past the last field (DuckDB returns \'\')');
add('regular expressions', 'same', ['regexp_like', 'regexp_extract_all', 'regexp_split']);
add('regular expressions', 'translated', ['regexp_extract'], 'NULL when nothing matches');
add('regular expressions', 'translated', ['regexp_count'], 'the number of matches');
add('regular expressions', 'translated', ['regexp_replace'], 'every match; $n group references');
add('JSON', 'same', ['json_array_length', 'json_extract_scalar', "JSON '…'"]);
add('JSON', 'translated', ['json_format'], 'compact JSON text');
add('JSON', 'translated', ['is_json_scalar'], 'JSON type test');
add('arrays and maps', 'same', ['ARRAY[…]', 'filter', 'map', 'map_from_entries', 'map_keys', 'map_values', 'contains', 'array_max', 'array_min']);
add('arrays and maps', 'translated', ['array_join', 'flatten'], 'DuckDB\'s array_to_string and flatten (polyglot would rewrite them differently)');
add('arrays and maps', 'translated', ['slice'], 'start and length (DuckDB\'s list_slice takes start and end)');
add('arrays and maps', 'translated', ['[]', 'element_at', 'cardinality'], 'on a map, the value (NULL when absent)');
add('arrays and maps', 'translated', ['array_position'], '0 when absent');
add('arrays and maps', 'translated', ['array_sort'], 'NULLs last; a comparator lambda is refused');
add('arrays and maps', 'translated', ['transform'], 'DuckDB\'s list_transform');
add('arrays and maps', 'translated', ['trim_array'], 'a slice');
add('arrays and maps', 'translated', ['map_filter'], 'a filter of the map\'s entries');
add('arrays and maps', 'translated', ['reduce'], 'DuckDB\'s list_reduce with the initial state; the output function must be the identity');
add('aggregates', 'same', ['count', 'count_if', 'min', 'max', 'max_by', 'min_by', 'array_agg', 'bool_and', 'bool_or', 'arbitrary', 'any_value', 'listagg', 'histogram', 'stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop']);
add('aggregates', 'translated', ['sum'], 'bigint for integers (DuckDB\'s HUGEINT is registered as bigint)');
add('aggregates', 'translated', ['avg'], 'decimal(p,s) for decimal(p,s), rounded HALF_UP');
add('aggregates', 'translated', ['approx_distinct'], 'DuckDB\'s HyperLogLog approx_count_distinct');
add('aggregates', 'translated', ['approx_percentile'], 'the exact percentile (quantile_disc), which is within any approximation bound');
add('window functions', 'same', ['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value']);
add('grouping sets', 'same', ['grouping sets', 'cube', 'rollup', 'grouping']);

REFUSED.format = "Java format strings, which DuckDB's format does not read";
REFUSED.cbrt = "DuckDB's cube root differs from Java's in the last digit (cbrt(27) is 3.0000000000000004)";
REFUSED.format_number = 'DuckDB has no equivalent';
REFUSED.human_readable_seconds = 'DuckDB has no equivalent';
REFUSED.luhn_check = 'DuckDB has no equivalent';
REFUSED.regexp_position = 'DuckDB has no equivalent';
REFUSED.from_base = 'DuckDB has no equivalent';
REFUSED.json_array_contains = 'DuckDB\'s JSON containment differs';
REFUSED.map_agg = 'DuckDB has no map_agg aggregate';
REFUSED.typeof = "DuckDB's type names differ from Trino's";
REFUSED.from_iso8601_timestamp = 'timestamp with time zone has no Glue type';
REFUSED['AT TIME ZONE'] = 'timestamp with time zone has no Glue type';
REFUSED.current_timestamp = 'the session time zone differs';
REFUSED.now = 'the session time zone differs';
