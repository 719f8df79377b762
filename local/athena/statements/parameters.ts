import { Token, tokenize } from './lexer';
import { AthenaQueryError } from '../api/errors';

/**
 * The statements Athena takes execution parameters in, by their first keyword: "parameterized
 * queries are supported only for SELECT, INSERT INTO, CTAS, and UNLOAD statements"
 * (https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html).
 */
const PARAMETERIZED_STATEMENTS = ['SELECT', 'WITH', '(', 'INSERT', 'CREATE', 'UNLOAD'];

/** Keywords that start a clause: a `?` belongs to the last one before it at its depth. */
const CLAUSES = new Set(['SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'ON', 'USING', 'JOIN', 'SET', 'VALUES', 'WITH', 'INSERT', 'CREATE', 'UNLOAD', 'MERGE', 'WINDOW', 'QUALIFY']);

/**
 * Puts Athena's `ExecutionParameters` in place of the statement's `?` markers, in order, after
 * checking them as Athena does: only in the statements that take them, only in a WHERE clause
 * ("Syntax like `SELECT ? FROM table` is not supported"), never inside quotes (a quoted `?` is
 * text, so it is no marker and the counts differ). Each value is SQL text, as Athena takes it
 * (`'2026-01-31'` is a string literal, `5` a number): it keeps its type once in place, and the
 * query's literals are then type-checked as Trino checks them (see `checkLiteralTypes`), so a
 * `varchar` parameter compared with a `date` column fails as it does in Athena.
 */
export function bindExecutionParameters(statement: string, parameters: readonly string[] = []): string {
  const tokens = tokenize(statement);
  const markers = tokens.filter((token) => token.kind === 'parameter');
  if (markers.length !== parameters.length) {
    throw new AthenaQueryError(
      `Incorrect number of parameters: expected ${markers.length} but found ${parameters.length}`,
    );
  }
  if (markers.length === 0) return statement;
  const first = tokens[0]?.text.toUpperCase();
  if (!PARAMETERIZED_STATEMENTS.includes(first)) {
    // The guide states the rule but not the error Athena answers with.
    throw new AthenaQueryError(
      `Execution parameters are supported only in SELECT, INSERT INTO, CTAS and UNLOAD statements, not in a ${first} statement`,
    );
  }
  for (const marker of markers) {
    const clause = clauseOf(tokens, marker);
    if (clause !== 'WHERE') {
      throw new AthenaQueryError(
        `line 1:${marker.start + 1}: Execution parameters can be placed only in the WHERE clause (this one is in ${clause ? `the ${clause} clause` : 'no clause'})`,
      );
    }
  }
  let bound = statement;
  for (let i = markers.length - 1; i >= 0; i--) {
    bound = bound.slice(0, markers[i].start) + parameters[i] + bound.slice(markers[i].end);
  }
  return bound;
}

/** The clause a token is in: the last clause keyword before it at its depth, or at the nearest enclosing one. */
function clauseOf(tokens: Token[], target: Token): string | undefined {
  const frames: Array<string | undefined> = [undefined];
  for (const token of tokens) {
    if (token === target) return [...frames].reverse().find((clause) => clause !== undefined);
    if (token.text === '(') frames.push(undefined);
    else if (token.text === ')') frames.pop();
    else if (token.kind === 'word' && CLAUSES.has(token.text.toUpperCase())) frames[frames.length - 1] = token.text.toUpperCase();
  }
  return undefined;
}
