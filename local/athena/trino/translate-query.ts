import { DuckDBConnection } from '@duckdb/node-api';
import { AstNode, kindOf, replaceNode } from './ast';
import { castRule } from './cast-rules';
import { constructOf } from './constructs';
import { PREPARE_RULES, TYPED_FUNCTION_RULES } from './function-rules';
import { OPERATOR_RULES } from './operator-rules';
import { generateDuckDb, loadParser, parseTrino } from './polyglot';
import { refuse, RewriteRule } from './rewrite-context';
import { REFUSED, SUPPORTED } from './support';
import { probeTypes } from './type-probe';
import { UnsupportedStatementError } from '../errors';

interface Visit {
  readonly node: AstNode;
  readonly kind: string;
  readonly inTry: boolean;
  readonly parentKind?: string;
}

/**
 * A Trino query body as DuckDB SQL that means what it means in Athena: parsed with polyglot's
 * Trino grammar, every function, operator and cast checked against the supported list
 * (anything else is refused, naming it), rewritten where DuckDB's namesake differs (with the
 * operand types DuckDB's binder reports), then written out in DuckDB's dialect.
 */
export async function translateQuery(connection: DuckDBConnection, query: string, statement: string): Promise<string> {
  await loadParser();
  const parsed = parseTrino(query);
  if (!parsed.ast) throw new UnsupportedStatementError(`a query its Trino parser cannot read (${parsed.error})`, statement);
  const ast = parsed.ast;
  const visits = innermostFirst(ast);
  for (const { node, kind } of visits) checkSupported(node, kind, statement);
  for (const { node, kind } of visits) {
    const replacement = PREPARE_RULES[nameOf(node, kind)]?.(node, statement);
    if (replacement) replaceNode(node, replacement);
  }
  for (const { node, inTry, parentKind } of visits) {
    // The kind now: a prepare rule may have replaced the node.
    const kind = kindOf(node);
    const rule = kind ? ruleFor(node, kind) : undefined;
    if (!rule) continue;
    const replacement = await rule(node, {
      typesOf: (operands, at) => probeTypes(connection, ast, at ?? node, operands),
      inTry,
      parentKind,
      statement,
    });
    if (replacement) replaceNode(node, replacement);
  }
  return generateDuckDb(ast);
}

function checkSupported(node: AstNode, kind: string, statement: string): void {
  const construct = constructOf(node, kind);
  if (construct === undefined || SUPPORTED[construct]) return;
  throw refuse(construct, REFUSED[construct] ?? 'it is not on the list of constructs known to behave as in Trino', statement);
}

/** A function's name, or the kind of a typed node (polyglot parses some functions, e.g. array_position, as their own kinds). */
function nameOf(node: AstNode, kind: string): string {
  return kind === 'function' || kind === 'aggregate_function' ? String(node[kind].name).toLowerCase() : kind;
}

function ruleFor(node: AstNode, kind: string): RewriteRule | undefined {
  if (kind === 'cast') return castRule;
  if (kind === 'function' || kind === 'aggregate_function') return TYPED_FUNCTION_RULES[nameOf(node, kind)];
  return OPERATOR_RULES[kind];
}

/** Every node with where it stands, children before their parents, so rewrites see rewritten operands. */
function innermostFirst(root: unknown): Visit[] {
  const visits: Visit[] = [];
  const walk = (value: unknown, inTry: boolean, parentKind: string | undefined): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, inTry, parentKind);
      return;
    }
    const kind = kindOf(value);
    const node = value as AstNode;
    const childInTry = inTry || (kind === 'function' && String(node.function.name).toLowerCase() === 'try');
    for (const child of Object.values(kind ? node[kind] ?? {} : node)) walk(child, childInTry, kind ?? parentKind);
    if (kind) visits.push({ node, kind, inTry, parentKind });
  };
  walk(root, false, undefined);
  return visits;
}
