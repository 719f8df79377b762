import { UnsupportedStatementError } from './errors';
import { identifierValue, Token, tokenize } from './lexer';
import { MergeParts, splitMerge } from './merge-syntax';
import { parseTableProperties, TableProperties } from './table-properties';

/** A table name as written: `table`, `db.table` or `"db"."table"`. */
export interface TableName {
  readonly database?: string;
  readonly table: string;
}

/** `CREATE TABLE [IF NOT EXISTS] name WITH (…) AS <query> [WITH [NO] DATA]` */
export interface CreateTableAsSelect {
  readonly kind: 'CREATE_TABLE_AS_SELECT';
  readonly table: TableName;
  readonly ifNotExists: boolean;
  readonly properties: TableProperties;
  readonly query: string;
  readonly withData: boolean;
}

/** `INSERT INTO name <query>` */
export interface InsertIntoSelect {
  readonly kind: 'INSERT';
  readonly table: TableName;
  readonly query: string;
}

/** `SELECT …` or `WITH … SELECT …` */
export interface Select {
  readonly kind: 'SELECT';
  readonly query: string;
}

/** `MERGE INTO name [[AS] alias] USING source ON condition WHEN …` */
export interface MergeInto extends MergeParts {
  readonly kind: 'MERGE';
  readonly table: TableName;
  /** The name the target's columns are qualified with: its alias, or its own name. */
  readonly targetAlias: string;
}

/** `ALTER TABLE name SET LOCATION 's3://…'` */
export interface AlterTableSetLocation {
  readonly kind: 'ALTER_TABLE_SET_LOCATION';
  readonly table: TableName;
  readonly location: string;
}

export type AthenaStatement = CreateTableAsSelect | InsertIntoSelect | Select | MergeInto | AlterTableSetLocation;

/**
 * Recognises the Athena statements the local runner can run and splits them into the parts it
 * translates (table, properties) and the query it hands to DuckDB. Anything else is refused.
 */
export function parseStatement(sql: string): AthenaStatement {
  const tokens = tokenize(sql);
  if (tokens.length > 0 && tokens[tokens.length - 1].text === ';') tokens.pop();
  const reader = new TokenReader(sql, tokens);
  if (tokens.some((token) => token.text === ';')) {
    throw new UnsupportedStatementError('more than one statement in a query (Athena runs one statement per query)', sql);
  }
  const first = reader.peekKeyword();
  if (first === 'SELECT' || first === 'WITH' || first === '(') {
    return { kind: 'SELECT', query: reader.rest() };
  }
  if (first === 'INSERT') {
    reader.expectKeywords('INSERT', 'INTO');
    const table = reader.tableName();
    if (reader.peekKeyword() === '(') {
      throw new UnsupportedStatementError('INSERT INTO with a column list', sql);
    }
    return { kind: 'INSERT', table, query: reader.rest() };
  }
  if (first === 'MERGE') {
    reader.expectKeywords('MERGE', 'INTO');
    const table = reader.tableName();
    reader.acceptKeywords('AS');
    const targetAlias = reader.peekKeyword() === 'USING' ? table.table : reader.identifier();
    if (!reader.acceptKeywords('USING')) throw new UnsupportedStatementError('a MERGE statement without USING after its target', sql);
    return { kind: 'MERGE', table, targetAlias, ...splitMerge(reader.restTokens(), sql) };
  }
  if (first === 'ALTER') {
    const match = /^\s*ALTER\s+TABLE\s+(?:(\w+)\.)?(\w+)\s+SET\s+LOCATION\s+'([^']*)'\s*;?\s*$/i.exec(sql);
    if (!match) throw new UnsupportedStatementError('ALTER TABLE statements other than ALTER TABLE db.table SET LOCATION \'s3://…\'', sql);
    return { kind: 'ALTER_TABLE_SET_LOCATION', table: { database: match[1]?.toLowerCase(), table: match[2].toLowerCase() }, location: match[3] };
  }
  if (first === 'CREATE') {
    reader.expectKeywords('CREATE');
    if (reader.peekKeyword() !== 'TABLE') {
      throw new UnsupportedStatementError(`CREATE ${reader.peekKeyword() ?? ''} statements`, sql);
    }
    reader.expectKeywords('TABLE');
    const ifNotExists = reader.acceptKeywords('IF', 'NOT', 'EXISTS');
    const table = reader.tableName();
    if (reader.peekKeyword() === '(') {
      throw new UnsupportedStatementError('CREATE TABLE with a column list (only CREATE TABLE … AS SELECT)', sql);
    }
    const properties = parseTableProperties(reader.acceptKeywords('WITH') ? reader.parenthesized() : [], sql);
    if (!reader.acceptKeywords('AS')) {
      throw new UnsupportedStatementError('CREATE TABLE without AS SELECT', sql);
    }
    const withData = !reader.endsWithKeywords('WITH', 'NO', 'DATA');
    if (withData) reader.endsWithKeywords('WITH', 'DATA');
    return { kind: 'CREATE_TABLE_AS_SELECT', table, ifNotExists, properties, query: reader.rest(), withData };
  }
  throw new UnsupportedStatementError(`${first ?? 'empty'} statements`, sql);
}

class TokenReader {
  private position = 0;
  private end: number;

  constructor(private readonly sql: string, private readonly tokens: Token[]) {
    this.end = tokens.length;
  }

  public peekKeyword(): string | undefined {
    const token = this.tokens[this.position];
    return token && this.position < this.end ? token.text.toUpperCase() : undefined;
  }

  public acceptKeywords(...keywords: string[]): boolean {
    const matches = keywords.every((keyword, i) => {
      const token = this.tokens[this.position + i];
      return token?.kind === 'word' && token.text.toUpperCase() === keyword;
    });
    if (matches) this.position += keywords.length;
    return matches;
  }

  public expectKeywords(...keywords: string[]): void {
    if (!this.acceptKeywords(...keywords)) {
      throw new UnsupportedStatementError(`a statement that does not start with ${keywords.join(' ')}`, this.sql);
    }
  }

  /** Drops trailing keywords from the statement when it ends with them. */
  public endsWithKeywords(...keywords: string[]): boolean {
    const start = this.end - keywords.length;
    const matches = start > this.position && keywords.every((keyword, i) => {
      const token = this.tokens[start + i];
      return token.kind === 'word' && token.text.toUpperCase() === keyword;
    });
    if (matches) this.end = start;
    return matches;
  }

  /** `table`, `database.table` or `awsdatacatalog.database.table`. */
  public tableName(): TableName {
    const parts = [this.identifier()];
    while (this.tokens[this.position]?.text === '.' && parts.length < 3) {
      this.position++;
      parts.push(this.identifier());
    }
    if (parts.length === 3 && parts.shift() !== 'awsdatacatalog') {
      throw new UnsupportedStatementError('tables of a catalog other than AwsDataCatalog', this.sql);
    }
    return parts.length === 2 ? { database: parts[0], table: parts[1] } : { table: parts[0] };
  }

  /** The tokens between a `(` and its matching `)`. */
  public parenthesized(): Token[] {
    if (this.tokens[this.position]?.text !== '(') {
      throw new UnsupportedStatementError('a WITH clause that is not a parenthesized list of table properties', this.sql);
    }
    let depth = 0;
    const start = this.position + 1;
    for (; this.position < this.end; this.position++) {
      const text = this.tokens[this.position].text;
      if (text === '(') depth++;
      if (text === ')' && --depth === 0) {
        return this.tokens.slice(start, this.position++);
      }
    }
    throw new UnsupportedStatementError('an unbalanced parenthesis', this.sql);
  }

  /** The rest of the statement, verbatim. */
  public rest(): string {
    if (this.position >= this.end) {
      throw new UnsupportedStatementError('a statement without a query', this.sql);
    }
    return this.sql.slice(this.tokens[this.position].start, this.tokens[this.end - 1].end);
  }

  /** The tokens of the rest of the statement. */
  public restTokens(): Token[] {
    return this.tokens.slice(this.position, this.end);
  }

  public identifier(): string {
    const token = this.tokens[this.position];
    if (!token || this.position >= this.end || (token.kind !== 'word' && token.kind !== 'quoted')) {
      throw new UnsupportedStatementError('a statement without a table name where one is expected', this.sql);
    }
    this.position++;
    return identifierValue(token);
  }
}
