import { WatermarkColumnType } from '../watermark';

/** Quotes an identifier for Athena (Trino): double quotes, inner ones doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a value as an Athena string literal: single quotes, inner ones doubled. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The keyword of Trino's typed literal for each watermark type (`DATE '2026-01-31'`); a string
 * is a plain string literal and an integer a bare number. Trino never converts a string to a
 * date, timestamp or number in a comparison, so the bound must carry the column's type:
 * https://trino.io/docs/current/language/types.html
 */
const TYPED_LITERAL_KEYWORD: Record<WatermarkColumnType, string | undefined> = {
  [WatermarkColumnType.STRING]: undefined,
  [WatermarkColumnType.DATE]: 'DATE',
  [WatermarkColumnType.TIMESTAMP]: 'TIMESTAMP',
  [WatermarkColumnType.INTEGER]: undefined,
};

/** A value as a SQL literal of the watermark column's type, for values known at synth time. */
export function typedLiteral(type: WatermarkColumnType, value: string): string {
  if (type === WatermarkColumnType.INTEGER) return value;
  const keyword = TYPED_LITERAL_KEYWORD[type];
  return keyword ? `${keyword} ${quoteLiteral(value)}` : quoteLiteral(value);
}

/**
 * A query whose one result row holds the newest value of `column` as text and the same value
 * as a SQL literal of the column's type, ready to be written into the next statement. Athena
 * builds the literal (quotes doubled), so a value with a quote in it cannot change that statement.
 */
export function newestValueQuery(column: string, from: string, type: WatermarkColumnType, extraColumn?: string): string {
  return literalQuery(`SELECT CAST(max(${quoteIdentifier(column)}) AS varchar) AS v FROM ${from}`, type, extraColumn);
}

/**
 * Like `newestValueQuery`, but the value is the (skip+1)-th newest distinct value, so that the
 * `skip` newest ones are loaded again; NULL when there are no more than `skip` values, so that
 * everything is loaded again.
 */
export function lookbackValueQuery(column: string, from: string, skip: number, type: WatermarkColumnType): string {
  const quoted = quoteIdentifier(column);
  return literalQuery(
    `SELECT CAST(CASE WHEN count(*) > ${skip} THEN min(${quoted}) END AS varchar) AS v`
    + ` FROM (SELECT ${quoted} FROM ${from} GROUP BY ${quoted} ORDER BY ${quoted} DESC LIMIT ${skip + 1})`,
    type,
  );
}

function literalQuery(valueQuery: string, type: WatermarkColumnType, extraColumn?: string): string {
  const quoted = "'''' || replace(v, '''', '''''') || ''''";
  const keyword = TYPED_LITERAL_KEYWORD[type];
  const literal = type === WatermarkColumnType.INTEGER
    // The text of an integer column's value is digits and a sign: nothing to quote.
    ? 'v'
    : keyword ? `'${keyword} ' || ${quoted}` : quoted;
  return `SELECT v, ${literal} AS literal${extraColumn ? `, ${extraColumn}` : ''} FROM (${valueQuery})`;
}
