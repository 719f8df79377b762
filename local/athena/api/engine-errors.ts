import { AthenaQueryError } from './errors';
import { identifierValue, Token, tokenize } from '../statements/lexer';
import { trinoTypeName } from '../trino/duckdb-types';

/*
 * DuckDB's errors, said as Athena (Trino) says them, or as the runner's own limit: no DuckDB
 * message reaches the user (see docs/athena-rules.md rule 19).
 */

/** DuckDB's messages start with the kind of error: `Binder Error: `, `Invalid Input Error: ` … */
const ENGINE_MESSAGE = /^[A-Z][a-z]*(?: [A-Za-z]+)* Error: /;

/** Whether an error's message is DuckDB's own. */
export function isEngineError(error: unknown): boolean {
  return error instanceof Error && ENGINE_MESSAGE.test(error.message);
}

/**
 * The local engine failed where the runner does not know Athena's message (nor, always, its
 * verdict): the runner says so, as its own limit, rather than pass DuckDB's words off as Athena's.
 */
export class EngineLimitError extends Error {
  constructor(statement: string, public readonly engineMessage: string) {
    super(
      'The KeepDataUpToDate local runner cannot say how Athena answers this statement: its local engine failed on it, '
      + `and the runner does not know Athena's message for that failure. Check the statement, or run it in Athena. Statement: ${statement.trim()}`,
    );
    this.name = 'LocalRunner.UnsupportedStatement';
  }
}

/** Athena's failure for one of DuckDB's, found in the statement as Athena reads it; or the runner's limit. */
export function athenaErrorOf(error: Error, statement: string, database: string): Error {
  const message = error.message;
  const tokens = safeTokens(statement);
  const table = /Table with name (\S+?) does not exist/.exec(message);
  if (table) {
    const found = tableReference(tokens, table[1].toLowerCase());
    if (found) {
      const parts = found.parts.length === 1 ? [database, ...found.parts] : found.parts;
      const name = parts.length === 2 ? ['awsdatacatalog', ...parts] : parts;
      return new AthenaQueryError(`TABLE_NOT_FOUND: ${position(statement, found.start)}: Table '${name.join('.')}' does not exist`);
    }
  }
  const cast = /Could not convert string '(.*)' to (INT8|INT16|INT32|INT64)\b/.exec(message);
  if (cast) {
    // Trino's varchar-to-integer casts (e.g. VarcharOperators.castToInteger) name the type in capitals.
    const type = { INT8: 'TINYINT', INT16: 'SMALLINT', INT32: 'INT', INT64: 'BIGINT' }[cast[2]];
    return new AthenaQueryError(`INVALID_CAST_ARGUMENT: Cannot cast '${cast[1]}' to ${type}`);
  }
  const missing = /Referenced column "([^"]+)" not found in FROM clause/.exec(message)
    ?? /(?:Table|Values list) "[^"]+" does not have a column named "([^"]+)"/.exec(message);
  if (missing) {
    // Trino reports the expression, at its first token: `t.col` at `t` (SemanticExceptions.missingAttributeException).
    const found = columnReference(tokens, missing[1].toLowerCase());
    if (found) return new AthenaQueryError(`COLUMN_NOT_FOUND: ${position(statement, found.start)}: Column '${found.name}' cannot be resolved`);
  }
  const compare = /Cannot compare values of type (\S+) and type (\S+?)(?: -|$)/.exec(message);
  if (compare) {
    const [left, right] = [trinoTypeName(compare[1]), trinoTypeName(compare[2])];
    const operator = comparisonWithTypedLiteral(tokens, left, right);
    // Trino reports a comparison at its operator (AstBuilder.visitComparison), with TYPE_MISMATCH.
    if (operator) return new AthenaQueryError(`TYPE_MISMATCH: ${position(statement, operator.start)}: Cannot apply operator: ${left} ${operator.text} ${right}`);
  }
  return new EngineLimitError(statement, message);
}

/** `line L:C` of an offset into a statement, as Trino counts them (both from 1). */
export function position(statement: string, offset: number): string {
  const before = statement.slice(0, offset).split('\n');
  return `line ${before.length}:${before[before.length - 1].length + 1}`;
}

function safeTokens(statement: string): Token[] {
  try {
    return tokenize(statement);
  } catch {
    return [];
  }
}

/** The first reference to a table in the statement, with its qualifiers, as written. */
function tableReference(tokens: Token[], table: string): { start: number; parts: string[] } | undefined {
  const isName = (token: Token | undefined) => token !== undefined && (token.kind === 'word' || token.kind === 'quoted');
  for (let i = 0; i < tokens.length; i++) {
    if (!isName(tokens[i]) || identifierValue(tokens[i]) !== table || tokens[i + 1]?.text === '.' || tokens[i + 1]?.text === '(') continue;
    let first = i;
    while (tokens[first - 1]?.text === '.' && isName(tokens[first - 2])) first -= 2;
    return { start: tokens[first].start, parts: tokens.slice(first, i + 1).filter((token) => token.text !== '.').map(identifierValue) };
  }
  return undefined;
}

/** The first reference to a column in the statement, `col` or `qualifier.col`, not a function's name. */
function columnReference(tokens: Token[], column: string): { start: number; name: string } | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if ((token.kind !== 'word' && token.kind !== 'quoted') || identifierValue(token) !== column) continue;
    if (tokens[i + 1]?.text === '(') continue;
    const qualifier = tokens[i - 1]?.text === '.' ? tokens[i - 2] : undefined;
    if (qualifier && (qualifier.kind === 'word' || qualifier.kind === 'quoted')) {
      return { start: qualifier.start, name: `${identifierValue(qualifier)}.${column}` };
    }
    return { start: token.start, name: column };
  }
  return undefined;
}

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

/**
 * The comparison operator that DuckDB refused: one whose operand next to it is a typed literal
 * (`DATE '…'`, `TIMESTAMP '…'`) of the type DuckDB names on that side.
 */
function comparisonWithTypedLiteral(tokens: Token[], left: string, right: string): Token | undefined {
  const literalType = (i: number) => {
    const keyword = tokens[i];
    return keyword?.kind === 'word' && tokens[i + 1]?.kind === 'string' ? keyword.text.toLowerCase() : undefined;
  };
  const matches = (type: string | undefined, expected: string) => type !== undefined && expected.startsWith(type);
  return tokens.find((token, i) => token.kind === 'symbol' && COMPARISONS.has(token.text)
    && (matches(literalType(i + 1), right) || matches(literalType(i - 2), left)));
}
