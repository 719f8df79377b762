import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSampleSource, days } from '../../../../demo/sample-data';
import { UnsupportedStatementError } from '../../../athena/api/errors';
import { QueryFailedError } from '../../../athena/api/local-athena';
import { bindExecutionParameters } from '../../../athena/statements/parameters';
import { parseStatement } from '../../../athena/statements/statement';
import { LocalAws } from '../../../local-aws';

describe('parsing Athena statements', () => {
  test('a CTAS splits into table, properties and the query, verbatim', () => {
    const statement = parseStatement(`CREATE TABLE "Sales"."orders_by_day"
      WITH (format = 'parquet', external_location = 's3://lake/curated', partitioned_by = ARRAY['dt'], write_compression = 'ZSTD')
      AS SELECT order_id, 'AS (' AS note, dt FROM sales.orders -- AS SELECT in a comment
      WITH NO DATA;`);

    expect(statement).toEqual({
      kind: 'CREATE_TABLE_AS_SELECT',
      table: { database: 'sales', table: 'orders_by_day' },
      ifNotExists: false,
      properties: { externalLocation: 's3://lake/curated/', partitionedBy: ['dt'], compression: 'zstd' },
      query: "SELECT order_id, 'AS (' AS note, dt FROM sales.orders",
      withData: false,
    });
  });

  test('an INSERT INTO … SELECT and a SELECT', () => {
    expect(parseStatement('insert into orders_copy select * from "sales"."orders" where dt > ?')).toEqual({
      kind: 'INSERT',
      table: { table: 'orders_copy' },
      query: 'select * from "sales"."orders" where dt > ?',
    });
    expect(parseStatement('WITH x AS (SELECT 1 AS a) SELECT a FROM x')).toEqual({ kind: 'SELECT', query: 'WITH x AS (SELECT 1 AS a) SELECT a FROM x' });
  });

  test.each([
    ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', /does not support MERGE statements/],
    ['DELETE FROM sales.orders WHERE dt = \'2026-01-01\'', /does not support DELETE statements/],
    ["CREATE EXTERNAL TABLE t (a int) LOCATION 's3://lake/t/'", /does not support CREATE EXTERNAL statements/],
    ["CREATE TABLE t WITH (format = 'ORC', external_location = 's3://lake/t/') AS SELECT 1 AS a", /does not support format = 'ORC'/],
    ["CREATE TABLE t WITH (table_type = 'ICEBERG', location = 's3://lake/t/') AS SELECT 1 AS a", /does not support the table property location/],
    ["CREATE TABLE t WITH (bucketed_by = ARRAY['a'], bucket_count = 4) AS SELECT 1 AS a", /does not support the table property bucketed_by/],
    ['INSERT INTO t (a, b) SELECT 1, 2', /does not support INSERT INTO with a column list/],
    ['SELECT 1; DROP TABLE t', /does not support more than one statement/],
  ])('refuses %s, naming the construct', (sql, reason) => {
    expect(() => parseStatement(sql)).toThrow(UnsupportedStatementError);
    expect(() => parseStatement(sql)).toThrow(reason);
    expect(() => parseStatement(sql)).toThrow(/^The KeepDataUpToDate local runner does not support .* Statement: /);
  });

  test('execution parameters replace the ? markers in order, as SQL text, and nothing inside literals', () => {
    expect(bindExecutionParameters("SELECT '?' AS q, \"?\" FROM t WHERE dt > ? AND dt <= ?", ["'2026-01-01'", "'2026-01-31'"]))
      .toBe("SELECT '?' AS q, \"?\" FROM t WHERE dt > '2026-01-01' AND dt <= '2026-01-31'");
    expect(() => bindExecutionParameters('SELECT ?', [])).toThrow('Incorrect number of parameters: expected 1 but found 0');
  });
});

describe('running Athena statements with DuckDB', () => {
  let aws: LocalAws;
  let dataDir: string;
  const run = (QueryString: string, ExecutionParameters?: string[]) =>
    aws.athena.startQueryExecution({ QueryString, ExecutionParameters, QueryExecutionContext: { Database: 'sales' } });
  const failureOf = async (sql: string) => {
    const error = await run(sql).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(QueryFailedError);
    return (error as QueryFailedError).queryExecution;
  };
  const filesUnder = (uri: string) => (fs.readdirSync(aws.s3.pathOf(uri), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.parquet')).sort();

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-athena-'));
    aws = await LocalAws.create(dataDir);
    await createSampleSource(aws, days('2026-01-01', 3), 2);
  });

  afterEach(() => {
    aws.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a partitioned CTAS writes hive-partitioned Parquet under external_location and registers the table', async () => {
    const execution = await run(`CREATE TABLE sales.daily WITH (format = 'PARQUET', external_location = 's3://lake/daily/', partitioned_by = ARRAY['dt'])
      AS SELECT customer, sum(amount) AS total, count(*) AS orders, dt FROM sales.orders GROUP BY customer, dt`);

    expect(execution).toMatchObject({ StatementType: 'DDL', SubstatementType: 'CREATE_TABLE_AS_SELECT', Status: { State: 'SUCCEEDED' } });
    expect(execution.Statistics.DataScannedInBytes).toBeGreaterThan(0);
    expect(filesUnder('s3://lake/daily/').map((file) => path.dirname(file))).toEqual(['dt=2026-01-01', 'dt=2026-01-02', 'dt=2026-01-03']);
    expect(aws.catalog.getTable('sales', 'daily')).toMatchObject({
      location: 's3://lake/daily/',
      columns: [{ name: 'customer', type: 'string' }, { name: 'total', type: 'decimal(38,2)' }, { name: 'orders', type: 'bigint' }],
      partitionKeys: [{ name: 'dt', type: 'string' }],
    });
    expect(await aws.query('SELECT sum(orders) AS n FROM "sales"."daily"')).toEqual([{ n: '6' }]);
  });

  test('CTAS … WITH NO DATA registers an empty table that reads as empty', async () => {
    await run("CREATE TABLE sales.empty WITH (external_location = 's3://lake/empty/', partitioned_by = ARRAY['dt']) AS SELECT * FROM sales.orders WITH NO DATA");

    expect(aws.catalog.getTable('sales', 'empty')?.partitionKeys).toEqual([{ name: 'dt', type: 'string' }]);
    expect(await aws.query('SELECT count(*) AS n, max(dt) AS newest FROM sales.empty')).toEqual([{ n: '0', newest: undefined }]);
  });

  test('INSERT INTO adds new files by column position and leaves the existing ones alone', async () => {
    await run("CREATE TABLE sales.copy WITH (external_location = 's3://lake/copy/', partitioned_by = ARRAY['dt']) AS SELECT * FROM sales.orders WHERE dt < '2026-01-03'");
    const before = filesUnder('s3://lake/copy/');

    const execution = await run('INSERT INTO sales.copy SELECT order_id AS a, customer AS b, amount AS c, dt FROM sales.orders WHERE dt > ?', ["'2026-01-02'"]);

    expect(execution).toMatchObject({ StatementType: 'DML', SubstatementType: 'INSERT' });
    const after = filesUnder('s3://lake/copy/');
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.filter((file) => !before.includes(file)).map((file) => path.dirname(file))).toEqual(['dt=2026-01-03']);
    expect(await aws.query('SELECT * FROM sales.copy EXCEPT SELECT * FROM sales.orders')).toEqual([]);
    expect(await aws.query('SELECT count(*) AS n FROM sales.copy')).toEqual([{ n: '6' }]);
  });

  test('"db"."table$partitions" lists partitions without reading data files', async () => {
    const execution = await run('SELECT max(dt) AS newest FROM "sales"."orders$partitions"');

    expect(execution.Statistics.DataScannedInBytes).toBe(0);
    expect(JSON.stringify(aws.athena.queryProfile(execution.QueryExecutionId))).not.toMatch(/READ_PARQUET/);
    expect(aws.athena.queryResults(execution.QueryExecutionId)?.rows).toEqual([['2026-01-03']]);
  });

  test('the query profile shows the partitions a filter on the partition column pruned', async () => {
    const execution = await run("SELECT count(*) AS n FROM sales.orders WHERE dt > '2026-01-02'");

    expect(filesRead(aws.athena.queryProfile(execution.QueryExecutionId))).toBe(1);
    expect(aws.athena.queryResults(execution.QueryExecutionId)?.rows).toEqual([['2']]);
  });

  test('integers divide as integers, and concat() is NULL when an argument is, as in Trino', async () => {
    expect(await aws.query("SELECT 7 / 2 AS q, concat('a', NULL, 'c') AS with_null, concat('a', 'b', 'c') AS joined"))
      .toEqual([{ q: '3', with_null: undefined, joined: 'abc' }]);
  });

  test('names resolve with and without the catalog and database, quoted or not', async () => {
    const counts = await aws.query(`SELECT
      (SELECT count(*) FROM orders) AS bare,
      (SELECT count(*) FROM sales.orders) AS qualified,
      (SELECT count(*) FROM "awsdatacatalog"."sales"."orders") AS with_catalog`, 'sales');

    expect(counts).toEqual([{ bare: '6', qualified: '6', with_catalog: '6' }]);
  });

  test('refuses Athena\'s date_add(unit, value, timestamp), naming the construct, rather than change its type', async () => {
    const failed = await failureOf("SELECT * FROM sales.orders WHERE dt > CAST(date_add('day', -1, current_date) AS varchar)");

    expect(failed.Status.StateChangeReason).toMatch(/KeepDataUpToDate local runner does not support Athena's date_add/);
  });

  test('fails as Athena does when partition columns are not last', async () => {
    const failed = await failureOf("CREATE TABLE sales.bad WITH (external_location = 's3://lake/bad/', partitioned_by = ARRAY['dt']) AS SELECT dt, order_id FROM sales.orders");

    expect(failed.Status).toMatchObject({ State: 'FAILED', StateChangeReason: expect.stringMatching(/^HIVE_COLUMN_ORDER_MISMATCH/) });
    expect(aws.catalog.getTable('sales', 'bad')).toBeUndefined();
  });

  test('fails as Athena does when external_location already holds data', async () => {
    const failed = await failureOf("CREATE TABLE sales.again WITH (external_location = 's3://example-data-lake/raw/orders/') AS SELECT 1 AS a");

    expect(failed.Status.StateChangeReason).toMatch(/^HIVE_PATH_ALREADY_EXISTS/);
  });

  test('fails as Athena does when an INSERT\'s columns do not match the table\'s', async () => {
    const failed = await failureOf('INSERT INTO sales.orders SELECT order_id, amount, customer, dt FROM sales.orders');

    expect(failed.Status.StateChangeReason).toBe(
      'Insert query has mismatched column types: Table: [string, string, decimal(10,2), string], Query: [string, decimal(10,2), string, string]',
    );
  });

  test('a missing table fails with Athena\'s message', async () => {
    const failed = await failureOf('SELECT * FROM sales.nope');

    expect(failed.Status.StateChangeReason).toBe("TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.sales.nope' does not exist");
  });

  test('an unsupported statement is refused before anything runs', async () => {
    await expect(run("CREATE TABLE sales.t WITH (format = 'JSON', external_location = 's3://lake/t/') AS SELECT 1 AS a"))
      .rejects.toThrow(/KeepDataUpToDate local runner does not support format = 'JSON'/);
    expect(fs.existsSync(aws.s3.pathOf('s3://lake/t/'))).toBe(false);
  });
});

/** The data files the scans of a DuckDB JSON profile read. */
function filesRead(profile: Record<string, any> | undefined): number {
  if (!profile) return 0;
  const own = Number(profile.extra_info?.['Total Files Read'] ?? 0);
  return own + (profile.children ?? []).reduce((sum: number, child: Record<string, any>) => sum + filesRead(child), 0);
}
