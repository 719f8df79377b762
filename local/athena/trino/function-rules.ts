import { AstNode, call, stringLiteral, template } from './ast';
import { isDecimal, isFloating, isInteger } from './duckdb-types';
import { argumentsOf as args, refuse, RewriteRule } from './rewrite-context';

type SyncRule = (node: AstNode, statement: string) => AstNode | undefined;

/**
 * Rules that need no types, by Trino function name: applied to the whole query before the typed
 * rules, so that the type probes bind (DuckDB knows `list_transform`, not `transform`) and a
 * refusal comes before any probe. The `trino_*` functions are DuckDB macros (trino-functions.ts).
 */
export const PREPARE_RULES: Record<string, SyncRule> = {
  split_part: (node) => call('trino_split_part', ...args(node)),
  // Whole units elapsed, as Trino counts them; DuckDB's date_diff counts boundaries crossed.
  date_diff: (node) => call('trino_date_diff', ...args(node)),
  // Refused when it runs (an existing contract): DuckDB has no function that keeps the argument's type here.
  date_add: (node) => call('trino_date_add', ...args(node)),
  from_iso8601_date: (node) => call('trino_from_iso8601_date', ...args(node)),
  regexp_count: (node) => call('trino_regexp_count', ...args(node)),
  regexp_replace: (node, statement) => {
    const [value, pattern, replacement] = args(node);
    if (!replacement) return call('trino_regexp_replace', value, pattern, { literal: { literal_type: 'string', value: '' } });
    const text = stringLiteral(replacement);
    if (text === undefined) throw refuse('regexp_replace with a computed or lambda replacement', 'only a literal replacement is translated', statement);
    // Trino writes group references as $1 and an escaped dollar as \$; RE2 writes \1 and $.
    const re2 = text.replace(/\\\$|\$(\d+)/g, (_match, group) => (group ? `\\${group}` : '$'));
    return call('trino_regexp_replace', value, pattern, { literal: { literal_type: 'string', value: re2 } });
  },
  approx_percentile: (node, statement) => {
    const [value, percentage, ...rest] = args(node);
    if (rest.length > 0) throw refuse('approx_percentile with weights', 'DuckDB has no weighted percentile', statement);
    return call('quantile_disc', value, percentage);
  },
  to_base: (node) => call('trino_to_base', ...args(node)),
  is_json_scalar: (node) => call('trino_is_json_scalar', ...args(node)),
  json_format: (node) => call('trino_json_format', ...args(node)),
  transform: (node) => call('list_transform', ...args(node)),
  trim_array: (node) => call('trino_trim_array', ...args(node)),
  array_position: (node) => call('trino_array_position', ...args(node)),
  array_sort: (node, statement) => {
    const [array, comparator] = args(node);
    if (comparator) throw refuse('array_sort with a comparator', 'DuckDB sorts lists only by value', statement);
    return call('trino_array_sort', array);
  },
  reduce: (node, statement) => {
    const [array, initial, input, output] = args(node);
    const parameter = output?.lambda?.parameters?.[0]?.name;
    const body = output?.lambda?.body?.column?.name?.name;
    if (!parameter || parameter !== body) throw refuse('reduce with an output function', 'only the identity output function (s -> s) is translated', statement);
    return call('list_reduce', array, input, initial);
  },
  replace: (node) => (args(node).length === 2 ? template("replace(__0, __1, '')", ...args(node)) : undefined),
  slice: (node) => call('trino_slice', ...args(node)),
  e: () => template('exp(1)'),
  // polyglot would write flatten as UNNEST, which makes rows of the elements.
  flatten: (node) => call('trino_flatten', ...args(node)),
  array_join: (node, statement) => {
    if (args(node).length > 2) throw refuse('array_join with a null replacement', 'only the two-argument form is translated', statement);
    return call('trino_array_join', ...args(node));
  },
  nan: () => template("CAST('NaN' AS double)"),
  infinity: () => template("CAST('Infinity' AS double)"),
  is_infinite: (node) => call('isinf', ...args(node)),
  is_finite: (node) => call('isfinite', ...args(node)),
  // A JSON literal: DuckDB's json() parses and minifies it (polyglot would write Trino's json_parse).
  parse_json: (node) => call('json', node.parse_json.this),
  // overlay(s PLACING r FROM start [FOR length]): DuckDB has no overlay.
  overlay: (node) => {
    const { this: value, replacement, from, length } = node.overlay;
    return length
      ? call('trino_overlay', value, replacement, from, length)
      : template('trino_overlay(__0, __1, __2, length(__1))', value, replacement, from);
  },
  // DECIMAL '…': "The precision … equal to the number of digits in the literal … The scale … the
  // number of digits in the fractional part" (https://trino.io/docs/current/functions/decimal.html);
  // polyglot would write a DECIMAL without precision, which DuckDB reads as decimal(18,3).
  cast: (node) => {
    const text = stringLiteral(node.cast.this);
    const to = node.cast.to;
    if (text === undefined || to?.data_type !== 'decimal' || to.precision !== null) return undefined;
    const digits = text.trim().replace(/^[+-]/, '');
    const [whole, fraction = ''] = digits.split('.');
    return { cast: { ...node.cast, to: { ...to, precision: Math.max(whole.length + fraction.length, 1), scale: fraction.length } } };
  },
  map_filter: (node, statement) => {
    const [map, predicate] = args(node);
    const [key, value] = (predicate?.lambda?.parameters ?? []).map((parameter: { name: string }) => parameter.name);
    if (!key || !value) throw refuse('map_filter', 'the predicate must be a (k, v) -> … lambda', statement);
    const body = renameColumns(predicate.lambda.body, { [key]: 'trino_entry__.key', [value]: 'trino_entry__.value' });
    return template('map_from_entries(list_filter(map_entries(__0), trino_entry__ -> __1))', map, body);
  },
};

/** Rules that depend on their arguments' types, by Trino function name. */
export const TYPED_FUNCTION_RULES: Record<string, RewriteRule> = {
  // date_trunc(unit, x) -> [same as input] (https://trino.io/docs/current/functions/datetime.html).
  date_trunc: async (node, context) => {
    const [unit, value] = args(node);
    const [type] = await context.typesOf([value]);
    return type === 'DATE' ? template('CAST(date_trunc(__0, __1) AS date)', unit, value) : undefined;
  },
  // sign(x) -> [same as input] (https://trino.io/docs/current/functions/math.html); DuckDB's is a tinyint.
  sign: async (node, context) => {
    const [value] = args(node);
    const [type] = await context.typesOf([value]);
    if (isInteger(type) || isFloating(type)) return template(`CAST(sign(__0) AS ${type === 'FLOAT' ? 'real' : type === 'HUGEINT' ? 'bigint' : type.toLowerCase()})`, value);
    if (isDecimal(type)) return template('CAST(sign(__0) AS decimal(1, 0))', value);
    return undefined;
  },
  // Its argument, already rewritten to return NULL where Trino's try would (see inTry).
  try: (node) => args(node)[0],
};

/** A copy of an expression with some column references replaced by (dotted) others. */
function renameColumns(expression: AstNode, names: Record<string, string>): AstNode {
  return JSON.parse(JSON.stringify(expression), (_key, value) => {
    const name = value?.column?.name?.name;
    if (typeof name === 'string' && value.column.table === null && names[name]) return template(names[name]);
    return value;
  });
}
