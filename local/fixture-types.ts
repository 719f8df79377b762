import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, quoteString } from './athena/identifiers';
import type { GlueColumn } from './glue-catalog';
import { UsageError } from './usage-error';

/** How a text value must be written to be a value of a Glue type, exactly: an SQL test of `v`, and how to say it. */
function rule(glueType: string): { test: string; expected: string } | undefined {
  const type = glueType.toLowerCase().replace(/\s+/g, '');
  const integer: Record<string, string> = { tinyint: 'TINYINT', smallint: 'SMALLINT', int: 'INTEGER', integer: 'INTEGER', bigint: 'BIGINT' };
  if (integer[type]) {
    return { test: `regexp_full_match(v, '[+-]?[0-9]+') AND TRY_CAST(v AS ${integer[type]}) IS NOT NULL`, expected: `a whole number in ${type}'s range` };
  }
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (decimal) {
    const [precision, scale] = [Number(decimal[1]), Number(decimal[2])];
    const pattern = scale === 0 ? `[+-]?[0-9]{1,${precision}}` : `[+-]?[0-9]{0,${precision - scale}}(\\.[0-9]{0,${scale}})?`;
    return {
      test: `regexp_full_match(v, '${pattern}') AND regexp_matches(v, '[0-9]')`,
      expected: `a number with at most ${precision - scale} digits before the point and ${scale} after it`,
    };
  }
  if (type === 'double' || type === 'float') {
    return { test: "regexp_full_match(v, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?') AND TRY_CAST(v AS DOUBLE) IS NOT NULL", expected: 'a number' };
  }
  if (type === 'boolean') return { test: "lower(v) IN ('true', 'false')", expected: 'true or false' };
  if (type === 'date') return { test: "regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(v AS DATE) IS NOT NULL", expected: 'a date written YYYY-MM-DD' };
  if (type === 'timestamp') {
    return {
      test: "regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?') AND TRY_CAST(v AS TIMESTAMP) IS NOT NULL",
      expected: 'a timestamp written YYYY-MM-DD HH:MM:SS[.ffffff]',
    };
  }
  // Text takes any value; nested types are checked by the conversion itself.
  return undefined;
}

/**
 * Fails, naming the file, the row and the column, on the first value of a CSV or JSON lines
 * fixture that is not exactly a value of its column's type in `schema.json`: a conversion would
 * round `10.50` into a `bigint` or cut digits off a decimal without a word.
 */
export async function checkFixtureTypes(
  connection: DuckDBConnection, files: readonly string[], format: 'csv' | 'json', columns: readonly GlueColumn[], readerOptions: string,
  schemaFile: string, partitionNames: readonly string[],
): Promise<void> {
  const checked = columns.flatMap((column) => {
    const found = rule(column.type);
    return found ? [{ ...column, ...found }] : [];
  });
  if (checked.length === 0) return;
  // One thread reads a file in order, so that row numbers are the file's.
  await connection.run('SET threads = 1');
  try {
    for (const file of files) {
      const reader = format === 'csv'
        ? `read_csv(${quoteString(file)}, header = true, all_varchar = true, ${readerOptions})`
        : `read_json(${quoteString(file)}, format = 'newline_delimited', columns = {${columns.filter((column) => !partitionNames.includes(column.name)).map((column) => `${quoteString(column.name)}: 'VARCHAR'`).join(', ')}}, ${readerOptions})`;
      const failures = checked.map((column) => `SELECT n, ${quoteString(column.name)} AS name, ${quoteIdentifier(column.name)} AS v FROM numbered
        WHERE ${quoteIdentifier(column.name)} IS NOT NULL AND NOT (${column.test.replace(/\bv\b/g, quoteIdentifier(column.name))})`);
      const query = `WITH numbered AS (SELECT row_number() OVER () AS n, * FROM ${reader}) ${failures.join(' UNION ALL ')} ORDER BY n LIMIT 1`;
      const rows = (await connection.runAndReadAll(query)).getRowObjectsJS();
      if (rows.length === 0) continue;
      const [{ n, name, v }] = rows as Array<{ n: bigint; name: string; v: string }>;
      const column = checked.find((candidate) => candidate.name === name)!;
      const where = format === 'csv' ? `row ${n} (line ${Number(n) + 1})` : `line ${n}`;
      throw new UsageError(
        `${file}, ${where}, column ${name}: '${v}' is not a ${column.type} value as ${schemaFile} declares it (expected ${column.expected}). `
        + 'The local runner neither rounds nor truncates a fixture value: correct the value, or the type.',
      );
    }
  } finally {
    await connection.run('RESET threads');
  }
}
