import { identifierValue, Token, tokenize } from './lexer';
import { MergeParts, splitMerge } from './merge-syntax';
import { parseTableProperties, TableProperties } from './table-properties';
import { UnsupportedStatementError } from '../api/errors';

/** A table name as written: `table`, `db.table`, `"db"."table"` or `"catalog"."db"."table"`. */
export interface TableName {
  /** `s3tablescatalog/<bucket>` for a table of an S3 table bucket. @default - AwsDataCatalog */
  readonly catalog?: string;
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

/**
 * `CREATE TABLE name (col type, …) [PARTITIONED BY (col, …)] TBLPROPERTIES ('table_type' = 'ICEBERG', …)`:
 * an empty Iceberg table with the columns given, identity-partitioned.
 */
export interface CreateTable {
  readonly kind: 'CREATE_TABLE';
  readonly table: TableName;
  readonly ifNotExists: boolean;
  /** The columns and their types as written, lower-cased (`bigint`, `decimal(10,2)`). */
  readonly columns: Array<{ readonly name: string; readonly type: string }>;
  readonly partitionedBy: string[];
  /** The `TBLPROPERTIES`, keys lower-cased. */
  readonly properties: Record<string, string>;
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

export type AthenaStatement = CreateTableAsSelect | CreateTable | InsertIntoSelect | Select | MergeInto | AlterTableSetLocation;

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
    if (reader.peekKeyword() === '(') return parseCreateTable(sql, reader.restText(), table, ifNotExists);
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

  /** `table`, `database.table`, `awsdatacatalog.database.table` or `"s3tablescatalog/<bucket>".namespace.table`. */
  public tableName(): TableName {
    const parts = [this.identifier()];
    while (this.tokens[this.position]?.text === '.' && parts.length < 3) {
      this.position++;
      parts.push(this.identifier());
    }
    const catalog = parts.length === 3 ? parts.shift()! : undefined;
    if (catalog !== undefined && catalog !== 'awsdatacatalog' && !catalog.startsWith('s3tablescatalog/')) {
      throw new UnsupportedStatementError('tables of a catalog other than AwsDataCatalog and s3tablescatalog/<bucket>', this.sql);
    }
    const inS3Tables = catalog?.startsWith('s3tablescatalog/') ? { catalog } : {};
    return parts.length === 2 ? { ...inS3Tables, database: parts[0], table: parts[1] } : { table: parts[0] };
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

  /** The text of the rest of the statement, from the current token. */
  public restText(): string {
    return this.sql.slice(this.tokens[this.position].start);
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

/** What follows the column list of `CREATE TABLE name (…) …`, as Athena's DDL writes it. */
const CREATE_TABLE_TAIL = /^\s*(?:PARTITIONED\s+BY\s*\(([^)]*)\))?\s*(?:TBLPROPERTIES\s*\(([^)]*)\))?\s*;?\s*$/i;

function parseCreateTable(sql: string, rest: string, table: TableName, ifNotExists: boolean): CreateTable {
  const close = matchingParenthesis(rest);
  const tail = close === undefined ? null : CREATE_TABLE_TAIL.exec(rest.slice(close + 1));
  if (close === undefined || !tail) {
    throw new UnsupportedStatementError('CREATE TABLE with a column list other than (col type, …) [PARTITIONED BY (col, …)] [TBLPROPERTIES (…)]', sql);
  }
  const match = [rest, rest.slice(rest.indexOf('(') + 1, close), tail[1], tail[2]];
  const unquote = (name: string) => name.trim().replace(/^`(.*)`$/, '$1').toLowerCase();
  const columns = splitTopLevel(match[1]).map((definition) => {
    const column = /^\s*(`[^`]+`|\w+)\s+(.+?)\s*$/s.exec(definition);
    if (!column) throw new UnsupportedStatementError(`a column definition other than name type: ${definition.trim()}`, sql);
    return { name: unquote(column[1]), type: column[2].replace(/\s+/g, '').toLowerCase() };
  });
  const partitionedBy = match[2] === undefined ? [] : match[2].split(',').map(unquote);
  const properties: Record<string, string> = {};
  for (const property of match[3] === undefined ? [] : splitTopLevel(match[3])) {
    const pair = /^\s*'([^']*)'\s*=\s*'([^']*)'\s*$/.exec(property);
    if (!pair) throw new UnsupportedStatementError(`a table property other than 'key' = 'value': ${property.trim()}`, sql);
    properties[pair[1].toLowerCase()] = pair[2];
  }
  return { kind: 'CREATE_TABLE', table, ifNotExists, columns, partitionedBy, properties };
}

/** The offset of the `)` that closes the first `(`. */
function matchingParenthesis(text: string): number | undefined {
  let depth = 0;
  for (let i = text.indexOf('('); i >= 0 && i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return i;
  }
  return undefined;
}

/** Splits a list on the commas outside parentheses (`decimal(10,2)` stays whole). */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '(') depth++;
    if (list[i] === ')') depth--;
    if (list[i] === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.filter((part) => part.trim() !== '');
}
