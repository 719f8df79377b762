import { AstNode, call, template } from './ast';
import { decimalAverage, decimalDivide, decimalModulus } from './decimal-arithmetic';
import { isDecimal, isFloating, isInteger, isList, isMap, isNull, isNumeric, trinoTypeName } from './duckdb-types';
import { refuse, RewriteContext, RewriteRule } from './rewrite-context';
import { UNKNOWN } from './type-probe';
import { AthenaQueryError } from '../api/errors';

/** Trino's message for an operator between types it has no operator for. */
function cannotApply(operator: string, left: string, right: string): AthenaQueryError {
  return new AthenaQueryError(`SYNTAX_ERROR: Cannot apply operator: ${trinoTypeName(left)} ${operator} ${trinoTypeName(right)}`);
}

/** The operands' types, failing as Trino does when one is not a number (nor NULL). */
async function numericOperands(operator: string, left: AstNode, right: AstNode, context: RewriteContext): Promise<[string, string]> {
  const [l, r] = await context.typesOf([left, right]);
  const fits = (type: string) => isNumeric(type) || isNull(type) || type === UNKNOWN;
  if (!fits(l) || !fits(r)) throw cannotApply(operator, l, r);
  return [l, r];
}

const INTERVAL_UNITS_KEEPING_DATES = new Set(['Day', 'Week', 'Month', 'Quarter', 'Year']);

/** `date ± interval` is a date in Trino when the interval is whole days or months; DuckDB makes it a timestamp. */
async function additive(operator: '+' | '-', node: AstNode, context: RewriteContext): Promise<AstNode | undefined> {
  const { left, right } = node[operator === '+' ? 'add' : 'sub'];
  const [l, r] = await context.typesOf([left, right]);
  if (l === 'DATE' && r === 'INTERVAL') {
    const unit = right.interval?.unit?.unit;
    if (!INTERVAL_UNITS_KEEPING_DATES.has(unit)) throw refuse(`date ${operator} INTERVAL`, 'only literal day, week, month, quarter and year intervals keep a date here', context.statement);
    return template(`CAST(__0 ${operator} __1 AS date)`, left, right);
  }
  if (l === 'VARCHAR' || r === 'VARCHAR') throw cannotApply(operator, l, r);
  return undefined;
}

/** Rules for polyglot's operator and special-form nodes, by kind. */
export const OPERATOR_RULES: Record<string, RewriteRule> = {
  add: (node, context) => additive('+', node, context),
  sub: (node, context) => additive('-', node, context),
  mul: async (node, context) => {
    await numericOperands('*', node.mul.left, node.mul.right, context);
    return undefined;
  },
  div: async (node, context) => {
    const { left, right } = node.div;
    const [l, r] = await numericOperands('/', left, right, context);
    if (isFloating(l) || isFloating(r) || isNull(l) || isNull(r) || l === UNKNOWN || r === UNKNOWN) return undefined;
    if (isDecimal(l) || isDecimal(r)) return decimalDivide(left, right, l, r, context.inTry);
    // Integers: DuckDB (with integer_division) truncates as Trino does, but gives NULL for a zero divisor.
    return context.inTry ? undefined : call('trino_divide', left, right);
  },
  mod: (node, context) => modulus(node.mod.left, node.mod.right, context),
  mod_func: (node, context) => modulus(node.mod_func.this, node.mod_func.expression, context),
  concat: async (node, context) => {
    const { left, right } = node.concat;
    const [l, r] = await context.typesOf([left, right]);
    if (isList(l) && isList(r)) return undefined;
    if (isList(l)) return call('list_append', left, right);
    if (isList(r)) return call('list_prepend', left, right);
    const text = (type: string) => type === 'VARCHAR' || isNull(type) || type === UNKNOWN;
    if (text(l) && text(r)) return undefined;
    throw new AthenaQueryError(`FUNCTION_NOT_FOUND: Unexpected parameters (${trinoTypeName(l)}, ${trinoTypeName(r)}) for function concat`);
  },
  avg: async (node, context) => {
    const [type] = await context.typesOf([node.avg.this]);
    if (!isDecimal(type)) return undefined;
    if (context.parentKind === 'window_function' || node.avg.distinct || node.avg.filter) {
      throw refuse('avg of a decimal', 'over a window, DISTINCT or FILTER', context.statement);
    }
    return decimalAverage(node.avg.this, type);
  },
  cardinality: async (node, context) => {
    const [type] = await context.typesOf([node.cardinality.this]);
    return call(isMap(type) ? 'trino_map_size' : 'trino_array_size', node.cardinality.this);
  },
  element_at: async (node, context) => {
    const { this: container, expression: key } = node.element_at;
    const [type] = await context.typesOf([container]);
    return call(isMap(type) ? 'trino_map_element' : 'trino_array_element', container, key);
  },
  // polyglot writes a two-argument if() as DuckDB's IF, which needs three.
  if_func: (node) => (node.if_func.false_value ? undefined : template('CASE WHEN __0 THEN __1 END', node.if_func.condition, node.if_func.true_value)),
  unnest: async (node, context) => {
    const { this: array, expressions } = node.unnest;
    if (expressions?.length) throw refuse('UNNEST of several arrays', "DuckDB's UNNEST takes one list and does not pad the shorter ones with NULLs", context.statement);
    const [type] = await context.typesOf([array], array);
    if (isMap(type)) throw refuse('UNNEST of a map', "DuckDB's UNNEST takes lists only", context.statement);
    return undefined;
  },
  subscript: async (node, context) => {
    const { this: container, index } = node.subscript;
    const [type] = await context.typesOf([container]);
    if (isMap(type)) return call('trino_map_subscript', container, index);
    if (isList(type)) return call('trino_array_subscript', container, index);
    return undefined;
  },
};

async function modulus(left: AstNode, right: AstNode, context: RewriteContext): Promise<AstNode | undefined> {
  const [l, r] = await numericOperands('%', left, right, context);
  if (isFloating(l) || isFloating(r) || isNull(l) || isNull(r) || l === UNKNOWN || r === UNKNOWN) return undefined;
  if (isDecimal(l) || isDecimal(r)) return decimalModulus(left, right, l, r);
  if (isInteger(l) && isInteger(r) && !context.inTry) return call('trino_modulus', left, right);
  return undefined;
}
