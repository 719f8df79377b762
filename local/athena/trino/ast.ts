import { parseTrino } from './polyglot';
import type { AstNode } from './polyglot';

export type { AstNode };

/** Field names of node payloads: an object keyed by one of these is a payload, not a node. */
const PAYLOAD_FIELDS = new Set(['this', 'expressions', 'left', 'right', 'args', 'name', 'span', 'to', 'over', 'unit', 'expression', 'value', 'num_buckets']);

/** The kind of a node (`div`, `function`, `cast`…), or undefined for anything else. */
export function kindOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || PAYLOAD_FIELDS.has(keys[0])) return undefined;
  return keys[0];
}

/** Visits every node under `root`, children before their parent (innermost first). */
export function visitNodes(root: unknown, visit: (node: AstNode, kind: string) => void): void {
  if (root === null || typeof root !== 'object') return;
  if (Array.isArray(root)) {
    for (const item of root) visitNodes(item, visit);
    return;
  }
  for (const value of Object.values(root)) visitNodes(value, visit);
  const kind = kindOf(root);
  if (kind) visit(root as AstNode, kind);
}

/** Replaces a node in place (its parent keeps the same object), so that walks stay valid. */
export function replaceNode(node: AstNode, replacement: AstNode): void {
  for (const key of Object.keys(node)) delete node[key];
  Object.assign(node, replacement);
}

/** A deep copy, so a node can be spliced into more than one place. */
export function copyNode<T>(node: T): T {
  return JSON.parse(JSON.stringify(node));
}

/** A call of a function by name: `name(args…)`. */
export function call(name: string, ...args: AstNode[]): AstNode {
  return {
    function: { name, args, distinct: false, trailing_comments: [], use_bracket_syntax: false, no_parens: false, quoted: false },
  };
}

/**
 * An expression written as Trino text with placeholders `__0`, `__1`… that stand for the given
 * nodes: the rewrites below are written as SQL rather than as hand-built trees.
 */
export function template(sql: string, ...operands: AstNode[]): AstNode {
  const parsed = parseTrino(`SELECT ${sql}`);
  if (!parsed.ast) throw new Error(`template does not parse: ${sql}: ${parsed.error}`);
  const expression = parsed.ast[0].select.expressions[0] as AstNode;
  visitNodes(expression, (node, kind) => {
    const name = kind === 'column' ? node.column.name?.name : undefined;
    const placeholder = typeof name === 'string' ? /^__(\d+)$/.exec(name) : null;
    if (placeholder) replaceNode(node, copyNode(operands[Number(placeholder[1])]));
  });
  return expression;
}

/** A string literal's value, or undefined when the node is not one. */
export function stringLiteral(node: AstNode | undefined): string | undefined {
  const literal = node?.literal;
  return literal?.literal_type === 'string' ? literal.value : undefined;
}
