import { AstNode } from './ast';

/** Node kinds that are the shape of a query, not a function or operator whose meaning could differ. */
const STRUCTURE = new Set([
  'select', 'column', 'alias', 'table', 'subquery', 'union', 'intersect', 'except', 'values', 'tuple', 'star', 'null',
  'boolean', 'lambda', 'window_function', 'within_group', 'data_type', 'paren', 'join', 'identifier', 'ordered', 'cte', 'with',
]);

/** polyglot's kinds for Trino's operators and special forms, named as Athena's documentation names them. */
const KIND_NAMES: Record<string, string> = {
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  mod: '%',
  neg: 'unary -',
  concat: '||',
  eq: '=',
  neq: '<>',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  and: 'AND',
  or: 'OR',
  not: 'NOT',
  is_null: 'IS NULL',
  between: 'BETWEEN',
  in: 'IN',
  like: 'LIKE',
  null_safe_neq: 'IS DISTINCT FROM',
  null_safe_eq: 'IS NOT DISTINCT FROM',
  case: 'CASE',
  cast: 'CAST',
  try_cast: 'TRY_CAST',
  if_func: 'if',
  subscript: '[]',
  array_func: 'ARRAY[…]',
  interval: 'INTERVAL',
  unnest: 'UNNEST',
  str_position: 'strpos',
  mod_func: 'mod',
  logical_and: 'bool_and',
  logical_or: 'bool_or',
  n_tile: 'ntile',
  list_agg: 'listagg',
  parse_json: "JSON '…'",
  json_extract_scalar: 'json_extract_scalar',
  at_time_zone: 'AT TIME ZONE',
};

/** Literal types whose values mean the same in both engines. */
const LITERALS: Record<string, string> = { string: "'…'", number: 'number', date: "DATE '…'", timestamp: "TIMESTAMP '…'", boolean: 'boolean' };

/**
 * The Athena (Trino) construct a node is: a function's name, an operator, `CAST`…; undefined for
 * the structure of a query (SELECT, FROM, aliases, columns).
 */
export function constructOf(node: AstNode, kind: string): string | undefined {
  if (STRUCTURE.has(kind)) return undefined;
  if (kind === 'function' || kind === 'aggregate_function') return String(node[kind].name).toLowerCase();
  if (kind === 'literal') return LITERALS[node.literal.literal_type] ?? `${node.literal.literal_type} literal`;
  return KIND_NAMES[kind] ?? kind;
}
