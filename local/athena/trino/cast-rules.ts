import { AstNode, call, template } from './ast';
import { isFloating } from './duckdb-types';
import { refuse, RewriteRule } from './rewrite-context';

/** Trino's names of the integer types in "Cannot cast" messages (VarcharOperators). */
const INTEGER_TARGETS: Record<string, string> = { tinyint: 'TINYINT', smallint: 'SMALLINT', integer: 'INT', bigint: 'BIGINT' };

/** polyglot's data type names, as Trino spells them. */
const TYPE_NAMES: Record<string, string> = { tiny_int: 'tinyint', small_int: 'smallint', int: 'integer', big_int: 'bigint', var_char: 'varchar', text: 'varchar', string: 'varchar' };

/**
 * `CAST` where DuckDB's conversion differs from Trino's:
 * - varchar to an integer type: Trino accepts only an optional sign and digits (DuckDB rounds '1.5');
 * - double or real to an integer type: Trino rounds half up (DuckDB rounds half to even);
 * - JSON to varchar: Trino gives the string's value, unquoted (DuckDB keeps the JSON text);
 * - to JSON: Trino encodes the value (DuckDB would parse a string as JSON text);
 * - double or real to varchar: Trino's formatting of doubles differs from DuckDB's, so it is refused.
 * Inside `try(…)` a failing cast is NULL, as `TRY_CAST` is.
 */
export const castRule: RewriteRule = async (node, context) => {
  const { this: value, to } = node.cast as { this: AstNode; to: Record<string, any> };
  const name = String(to.data_type).toLowerCase();
  const target = TYPE_NAMES[name] ?? name;
  const [source] = await context.typesOf([value]);
  if (target === 'json') return call('to_json', value);
  if (target in INTEGER_TARGETS) {
    if (source === 'VARCHAR') {
      return context.inTry
        ? template(`TRY_CAST(trino_integer_text_or_null(__0) AS ${target})`, value)
        : template(`CAST(trino_integer_text(__0, '${INTEGER_TARGETS[target]}') AS ${target})`, value);
    }
    if (isFloating(source)) return withTry(template(`CAST(floor(__0 + 0.5) AS ${target})`, value), context.inTry);
  }
  if (target === 'varchar' && source === 'JSON') return template("json_extract_string(__0, '$')", value);
  if (target === 'varchar' && isFloating(source)) throw refuse('CAST of a double to varchar', "Trino's formatting of doubles differs from DuckDB's", context.statement);
  if (context.inTry) return { try_cast: node.cast };
  return undefined;
};

function withTry(cast: AstNode, inTry: boolean): AstNode {
  return inTry && cast.cast ? { try_cast: cast.cast } : cast;
}
