import { AthenaQueryError } from '../api/errors';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'symbol' | 'parameter';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written, quotes included. */
  readonly text: string;
  /** Offsets into the statement, so a slice of it can be handed on verbatim. */
  readonly start: number;
  readonly end: number;
}

/**
 * Splits an Athena (Trino) statement into tokens, skipping whitespace and comments, so that
 * keywords are found only outside string literals, quoted identifiers and comments.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number) => tokens.push({ kind, text: sql.slice(start, end), start, end });
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i);
      i = newline === -1 ? sql.length : newline + 1;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) throw new AthenaQueryError('line 1: unterminated comment');
      i = close + 2;
    } else if (c === "'" || c === '"') {
      const end = closingQuote(sql, i);
      push(c === "'" ? 'string' : 'quoted', i, end);
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < sql.length && /[A-Za-z0-9_$@]/.test(sql[i])) i++;
      push('word', start, i);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const start = i;
      while (i < sql.length && /[0-9.eE]/.test(sql[i])) i++;
      push('number', start, i);
    } else if (c === '?') {
      push('parameter', i, ++i);
    } else {
      const two = sql.slice(i, i + 2);
      const width = ['<=', '>=', '<>', '!=', '||', '=>', '->'].includes(two) ? 2 : 1;
      push('symbol', i, i + width);
      i += width;
    }
  }
  return tokens;
}

/** The offset just past the quote that closes the one at `start`; a doubled quote is an escaped one. */
function closingQuote(sql: string, start: number): number {
  const quote = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  throw new AthenaQueryError(`line 1:${start + 1}: unterminated ${quote === "'" ? 'string literal' : 'quoted identifier'}`);
}

/** The value of an identifier token: unquoted, and lower-cased as Athena does with every name. */
export function identifierValue(token: Token): string {
  if (token.kind === 'quoted') return token.text.slice(1, -1).replace(/""/g, '"').toLowerCase();
  return token.text.toLowerCase();
}

/** The value of a string literal token. */
export function stringValue(token: Token): string {
  return token.text.slice(1, -1).replace(/''/g, "'");
}
