import { AstNode } from './ast';
import { UnfaithfulQueryError } from '../api/errors';

/** What a rewrite rule may ask about the node it rewrites. */
export interface RewriteContext {
  /**
   * The DuckDB types of these expressions where the node stands (or where `at` stands, for a
   * node that is not an expression, such as UNNEST in a FROM clause).
   */
  readonly typesOf: (operands: AstNode[], at?: AstNode) => Promise<string[]>;
  /** Whether the node is inside Trino's `try(…)`, where errors become NULL. */
  readonly inTry: boolean;
  /** The kind of the node's parent (`window_function` when it is computed over a window). */
  readonly parentKind?: string;
  /** The statement as submitted, for error messages. */
  readonly statement: string;
}

/** The arguments of a function node, or the operands of a typed one (`this`, `expression`, …). */
export function argumentsOf(node: AstNode): AstNode[] {
  const payload = node.function ?? node.aggregate_function;
  if (payload) return payload.args;
  const fields = Object.values(node)[0] ?? {};
  return [fields.this, fields.expression, ...(fields.expressions ?? [])].filter((operand) => operand !== undefined && operand !== null);
}

/** A rule: the node's replacement, or undefined to keep it (it already means what Trino means). */
export type RewriteRule = (node: AstNode, context: RewriteContext) => Promise<AstNode | undefined> | AstNode | undefined;

/** Refuses a construct the local runner cannot run as Athena does. */
export function refuse(construct: string, why: string, statement: string): UnfaithfulQueryError {
  return new UnfaithfulQueryError(construct, why, statement);
}
