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
import { position } from '../api/engine-errors';
import { AthenaQueryError, UnsupportedStatementError } from '../api/errors';
import { tokenize } from '../statements/lexer';

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
  if (!parsed.ast) throw syntaxError(parsed.error ?? '', query, statement);
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

/**
 * A query body that does not parse fails as Athena fails it: `SYNTAX_ERROR: line L:C: mismatched
 * input '…'`. The token is the one polyglot's parser stopped after, which may be a token away
 * from the one Trino's grammar names; Trino's list of what it expected is not reproduced (see
 * docs/athena-rules.md rule 19).
 */
function syntaxError(error: string, query: string, statement: string): Error {
  const at = /line (\d+), column (\d+)/.exec(error);
  const offsetInStatement = Math.max(0, statement.indexOf(query));
  if (!at) return new UnsupportedStatementError(`a query its Trino parser cannot read (${error})`, statement);
  const lines = query.split('\n');
  const end = lines.slice(0, Number(at[1]) - 1).reduce((sum, line) => sum + line.length + 1, 0) + Number(at[2]) - 1;
  const token = tokenize(query).find((candidate) => candidate.end === end);
  const [start, text] = token ? [token.start, token.text] : [query.trimEnd().length, '<EOF>'];
  return new AthenaQueryError(
    `SYNTAX_ERROR: ${position(statement, offsetInStatement + start)}: mismatched input '${text}' `
    + '(the local runner names the token its parser stopped at, which can be a token before or after the one Athena names; Athena also lists what it expected)',
  );
}
