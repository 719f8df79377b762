import { identifierValue, Token } from './lexer';
import { UnsupportedStatementError } from '../api/errors';

/** The parts of a `MERGE INTO target USING …` after `USING`, each verbatim. */
export interface MergeParts {
  /** The source relation with its alias: `(SELECT …) AS s` or `"db"."table" s`. */
  readonly source: string;
  /** The name the source's columns are qualified with, when it has one. */
  readonly sourceAlias?: string;
  readonly condition: string;
  /** The `WHEN …` clauses. */
  readonly clauses: string;
}

/**
 * Splits what follows `USING` into the source, the `ON` condition and the `WHEN` clauses, and
 * accepts only the clauses the local runner can run as Athena would: `WHEN MATCHED [AND …]
 * THEN UPDATE SET …` and `WHEN NOT MATCHED [AND …] THEN INSERT [(…)] VALUES (…)`. DuckDB's
 * extensions (`BY SOURCE`, `INSERT *`, `DO NOTHING` …), which Athena rejects, and `DELETE` are
 * refused.
 */
export function splitMerge(tokens: Token[], sql: string): MergeParts {
  const unsupported = (what: string) => new UnsupportedStatementError(what, sql);
  const outside = topLevel(tokens);
  const keywordAt = (i: number, keyword: string) => tokens[i]?.kind === 'word' && tokens[i].text.toUpperCase() === keyword;
  const findTopLevel = (keyword: string, from: number, to = tokens.length) => {
    for (let i = from; i < to; i++) if (outside[i] && keywordAt(i, keyword)) return i;
    return -1;
  };
  const text = (from: number, to: number) => {
    if (from >= to) throw unsupported('a MERGE statement with an empty source, condition or clause');
    return sql.slice(tokens[from].start, tokens[to - 1].end);
  };

  const on = findTopLevel('ON', 0);
  if (on < 0) throw unsupported('a MERGE statement without ON');
  if (findTopLevel('JOIN', 0, on) >= 0) throw unsupported('a MERGE source that joins tables outside parentheses');
  const sourceAlias = aliasOf(tokens.slice(0, on), unsupported);
  const firstWhen = findTopLevel('WHEN', on);
  if (firstWhen < 0) throw unsupported('a MERGE statement without WHEN clauses');

  const starts = tokens.map((_token, i) => i).filter((i) => i >= firstWhen && outside[i] && keywordAt(i, 'WHEN'));
  starts.forEach((start, n) => {
    const end = starts[n + 1] ?? tokens.length;
    const matched = keywordAt(start + 1, 'MATCHED');
    if (!matched && !(keywordAt(start + 1, 'NOT') && keywordAt(start + 2, 'MATCHED'))) {
      throw unsupported(`the MERGE clause '${text(start, end)}'`);
    }
    const afterMatched = start + (matched ? 2 : 3);
    if (keywordAt(afterMatched, 'BY')) throw unsupported(`MERGE clauses WHEN ${matched ? '' : 'NOT '}MATCHED BY …, which Athena does not have`);
    const then = findTopLevel('THEN', afterMatched, end);
    if (then < 0) throw unsupported(`the MERGE clause '${text(start, end)}'`);
    const action = tokens[then + 1]?.text.toUpperCase();
    if (matched && action === 'UPDATE' && keywordAt(then + 2, 'SET') && tokens[then + 3]?.text !== '*') return;
    if (!matched && action === 'INSERT' && (tokens[then + 2]?.text === '(' || keywordAt(then + 2, 'VALUES'))) return;
    throw unsupported(`MERGE statements with WHEN ${matched ? '' : 'NOT '}MATCHED … THEN ${text(then + 1, end)} (only WHEN MATCHED THEN UPDATE SET … and WHEN NOT MATCHED THEN INSERT (…) VALUES (…))`);
  });

  return { source: text(0, on), sourceAlias, condition: text(on + 1, firstWhen), clauses: text(firstWhen, tokens.length) };
}

/**
 * The alias of `table [AS] alias`, `(query) [AS] alias [(columns)]`, or a table's own name;
 * a parenthesized query without an alias has none.
 */
function aliasOf(source: Token[], unsupported: (what: string) => Error): string | undefined {
  let i = 0;
  let tableName: string | undefined;
  if (source[0]?.text === '(') {
    let depth = 0;
    for (; i < source.length; i++) {
      if (source[i].text === '(') depth++;
      if (source[i].text === ')' && --depth === 0) break;
    }
    i++;
  } else {
    while (source[i]?.kind === 'word' || source[i]?.kind === 'quoted') {
      tableName = identifierValue(source[i++]);
      if (source[i]?.text !== '.') break;
      i++;
    }
  }
  if (i === 0 || i > source.length) throw unsupported('a MERGE source that is not a table or a parenthesized query');
  if (source[i]?.kind === 'word' && source[i].text.toUpperCase() === 'AS') i++;
  const alias = source[i];
  if (!alias) return tableName;
  if ((alias.kind === 'word' || alias.kind === 'quoted') && (i + 1 === source.length || source[i + 1].text === '(')) return identifierValue(alias);
  throw unsupported('a MERGE source that is not a table or a parenthesized query, with an optional alias');
}

/** Whether each token is outside every parenthesis, bracket and CASE … END. */
function topLevel(tokens: Token[]): boolean[] {
  let depth = 0;
  return tokens.map((token) => {
    const text = token.kind === 'word' ? token.text.toUpperCase() : token.text;
    if (token.kind === 'symbol' && (text === ')' || text === ']')) depth--;
    if (token.kind === 'word' && text === 'END') depth--;
    const outside = depth === 0 && !(token.kind === 'symbol' && (text === '(' || text === '[')) && !(token.kind === 'word' && text === 'CASE');
    if (token.kind === 'symbol' && (text === '(' || text === '[')) depth++;
    if (token.kind === 'word' && text === 'CASE') depth++;
    return outside;
  });
}
