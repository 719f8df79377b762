import { DuckDBConnection } from '@duckdb/node-api';
import { stringValue, Token, tokenize } from './lexer';
import { AthenaQueryError } from '../api/errors';
import { isNumeric, trinoTypeName } from '../trino/duckdb-types';

/** Words that make the string literal after them a typed one: `DATE '2026-01-31'`. */
const TYPED_LITERAL_KEYWORDS = new Set(['DATE', 'TIME', 'TIMESTAMP', 'INTERVAL', 'DECIMAL', 'DOUBLE', 'REAL', 'BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'CHAR', 'VARCHAR', 'JSON', 'X', 'IPADDRESS', 'UUID', 'ZONE']);

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

/**
 * DuckDB types that Trino never converts a `varchar` to implicitly: dates, times, numbers and
 * booleans (not text, JSON, or a type DuckDB could not infer).
 */
function isNeverFromVarchar(duckdbType: string): boolean {
  return ['DATE', 'TIME', 'BOOLEAN'].includes(duckdbType) || duckdbType.startsWith('TIMESTAMP') || isNumeric(duckdbType);
}

/**
 * Fails, as Trino does, a query that compares a string literal with a value of another type:
 * Trino does not convert `varchar` to a date, timestamp or number implicitly
 * (`WHERE dt > '2026-01-01'` on a `date` column fails with "Cannot apply operator: date >
 * varchar(10)"; trinodb/trino#7334, #2378), where DuckDB converts it silently.
 *
 * Each plain string literal (not a typed literal such as `DATE '…'`, not the operand of a CAST)
 * becomes a prepared statement's parameter, and DuckDB reports the type it infers for it from
 * where it stands: a literal DuckDB would have to convert is one Trino rejects.
 */
export async function checkLiteralTypes(connection: DuckDBConnection, query: string): Promise<void> {
  const tokens = tokenize(query);
  const literals = tokens.filter((token, i) => token.kind === 'string' && !isTyped(tokens, i));
  if (literals.length === 0) return;
  let text = query;
  for (let i = literals.length - 1; i >= 0; i--) {
    text = `${text.slice(0, literals[i].start)}$${i + 1}${text.slice(literals[i].end)}`;
  }
  let prepared;
  try {
    prepared = await connection.prepare(text);
  } catch {
    // Where DuckDB cannot take a parameter in a literal's place, the query runs unchecked.
    return;
  }
  for (let i = 0; i < literals.length; i++) {
    let inferred: string;
    try {
      inferred = prepared.parameterType(i + 1).toString();
    } catch {
      continue;
    }
    if (isNeverFromVarchar(inferred)) throw mismatch(tokens, literals[i], trinoTypeName(inferred));
  }
}

function isTyped(tokens: Token[], i: number): boolean {
  const before = tokens[i - 1];
  if (before?.kind === 'word' && TYPED_LITERAL_KEYWORDS.has(before.text.toUpperCase())) return true;
  // CAST('2026-01-31' AS date) and TRY_CAST: an explicit conversion.
  return before?.text === '(' && /^(TRY_)?CAST$/i.test(tokens[i - 2]?.text ?? '') && tokens[i + 1]?.text.toUpperCase() === 'AS';
}

function mismatch(tokens: Token[], literal: Token, expected: string): AthenaQueryError {
  const varchar = `varchar(${[...stringValue(literal)].length})`;
  const index = tokens.indexOf(literal);
  const position = `line 1:${literal.start + 1}`;
  const before = tokens[index - 1];
  const after = tokens[index + 1];
  if (before && COMPARISONS.has(before.text)) return new AthenaQueryError(`${position}: Cannot apply operator: ${expected} ${before.text} ${varchar}`);
  if (after && COMPARISONS.has(after.text)) return new AthenaQueryError(`${position}: Cannot apply operator: ${varchar} ${after.text} ${expected}`);
  return new AthenaQueryError(
    `${position}: TYPE_MISMATCH: ${literal.text} is a ${varchar} where a ${expected} is expected; Athena (Trino) does not convert varchar to ${expected} implicitly: write a typed literal or a CAST`,
  );
}
