import { DuckDBConnection } from '@duckdb/node-api';
import { AstNode, call, copyNode, replaceNode, template } from './ast';
import { generateDuckDb } from './polyglot';
import { AthenaQueryError } from '../api/errors';

/** The type of an operand DuckDB did not bind; rules leave such a node as it is. */
export const UNKNOWN = 'UNKNOWN';

const PROBE = /Could not find key "probe\|(.*)" in struct/;

/**
 * The DuckDB types of some expressions where they stand in a query, found by DuckDB's own
 * binder: the node is replaced for a moment by a look-up, in a struct with no such key, of a key
 * made of the names `typeof(a), …` gives. DuckDB folds `typeof` while it binds, so
 * preparing the query fails with a message that carries the types, whether or not the query
 * would read any rows.
 */
export async function probeTypes(connection: DuckDBConnection, ast: AstNode[], node: AstNode, operands: AstNode[]): Promise<string[]> {
  const original = copyNode(node);
  const types = call('list_value', ...operands.map((operand) => call('typeof', copyNode(operand))));
  replaceNode(node, template("struct_extract(trino_empty_struct(), 'probe|' || array_to_string(__0, '|'))", types));
  let sql: string;
  try {
    sql = generateDuckDb(ast);
  } finally {
    replaceNode(node, original);
  }
  try {
    await connection.prepare(sql);
  } catch (error) {
    const message = (error as Error).message;
    const probed = PROBE.exec(message);
    if (probed) return probed[1].split('|').map((type) => type.toUpperCase());
    // A type DuckDB cannot fold (an operand that is a refusal raised when it runs): unknown.
    if (/Key name for struct_extract needs to be a constant/.test(message)) return operands.map(() => UNKNOWN);
    throw new AthenaQueryError(message);
  }
  // The probe was never bound (the expression sits where DuckDB does not look, e.g. a dead branch).
  return operands.map(() => UNKNOWN);
}
