import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueryFailedError } from '../../../athena/api/local-athena';
import { LocalAws } from '../../../local-aws';

describe('query bodies mean what they mean in Athena', () => {
  let aws: LocalAws;
  let dataDir: string;
  const run = (QueryString: string) => aws.athena.startQueryExecution({ QueryString, QueryExecutionContext: { Database: 'lake' } });
  const reasonOf = async (sql: string): Promise<string> => {
    const error = await run(sql).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(QueryFailedError);
    return (error as QueryFailedError).queryExecution.Status.StateChangeReason!;
  };
  const columnTypes = (table: string) => aws.catalog.getTable('lake', table)!.columns.map((column) => `${column.name} ${column.type}`);

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-sql-'));
    aws = await LocalAws.create(dataDir);
    aws.catalog.createDatabase('lake');
  });

  afterEach(() => {
    aws.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('fails on division by zero, as Trino does, and try() makes it NULL', async () => {
    expect(await reasonOf('SELECT n / 0 FROM (VALUES 1) AS t(n)')).toBe('DIVISION_BY_ZERO: Division by zero');
    expect(await reasonOf('SELECT n % 0 FROM (VALUES 1) AS t(n)')).toBe('DIVISION_BY_ZERO: Division by zero');
    expect(await aws.query('SELECT try(n / 0) AS q FROM (VALUES 1) AS t(n)', 'lake')).toEqual([{ q: undefined }]);
    expect(await reasonOf("SELECT DECIMAL '1.5' / n FROM (VALUES 0) AS t(n)")).toBe('DIVISION_BY_ZERO: Division by zero');
    expect(await aws.query("SELECT try(DECIMAL '1.5' / n) AS q FROM (VALUES 0) AS t(n)", 'lake')).toEqual([{ q: undefined }]);
  });

  test('fails on an invalid cast, where try_cast gives NULL', async () => {
    expect(await reasonOf("SELECT CAST(zip AS bigint) FROM (VALUES 'P332a') AS t(zip)")).toBe("INVALID_CAST_ARGUMENT: Cannot cast 'P332a' to BIGINT");
    expect(await reasonOf("SELECT CAST('1.5' AS integer)")).toBe("INVALID_CAST_ARGUMENT: Cannot cast '1.5' to INT");
    expect(await aws.query("SELECT try_cast(zip AS bigint) AS z FROM (VALUES 'P332a') AS t(zip)", 'lake')).toEqual([{ z: undefined }]);
  });

  test('fails on operators between mismatched types', async () => {
    expect(await reasonOf("SELECT name + 1 FROM (VALUES 'a') AS t(name)")).toBe('SYNTAX_ERROR: Cannot apply operator: varchar + integer');
    expect(await reasonOf("SELECT name || n FROM (VALUES ('a', 1)) AS t(name, n)")).toMatch(/Unexpected parameters \(varchar, integer\) for function concat/);
    expect(await reasonOf("SELECT d FROM (VALUES DATE '2026-01-01') AS t(d) WHERE d > '2025-12-31'")).toMatch(/Cannot apply operator: date > varchar\(10\)/);
  });

  test('a CTAS registers the types Athena would', async () => {
    await run(`CREATE TABLE monthly WITH (external_location = 's3://lake/monthly/') AS
      SELECT date_trunc('month', d) AS month, sum(n) AS total, count(*) AS orders, avg(price) AS avg_price, max(price) / 2 AS half_max, 'shop' AS label
      FROM (VALUES (1, DECIMAL '1.10', DATE '2026-01-15'), (2, DECIMAL '2.25', DATE '2026-01-20')) AS t(n, price, d)
      GROUP BY 1`);

    // avg(decimal(3,2)) is decimal(3,2); decimal(3,2) / integer is decimal(3,2); both rounded HALF_UP.
    expect(columnTypes('monthly')).toEqual(['month date', 'total bigint', 'orders bigint', 'avg_price decimal(3,2)', 'half_max decimal(3,2)', 'label string']);
    expect(await aws.query('SELECT * FROM monthly', 'lake')).toEqual([
      { month: '2026-01-01', total: '3', orders: '2', avg_price: '1.68', half_max: '1.13', label: 'shop' },
    ]);
  });

  test('an INSERT accepts the widenings Trino accepts and rejects the rest', async () => {
    await run("CREATE TABLE amounts WITH (external_location = 's3://lake/amounts/') AS SELECT CAST(1 AS bigint) AS id, CAST(1 AS decimal(12,2)) AS amount");

    await run("INSERT INTO amounts SELECT n, DECIMAL '2.345' FROM (VALUES 2) AS t(n)");
    expect(await aws.query('SELECT id, amount FROM amounts ORDER BY id', 'lake')).toEqual([{ id: '1', amount: '1.00' }, { id: '2', amount: '2.35' }]);
    expect(await reasonOf("INSERT INTO amounts SELECT 'x', DECIMAL '1.0'")).toBe('Insert query has mismatched column types: Table: [bigint, decimal(12,2)], Query: [string, decimal(2,1)]');
    expect(await reasonOf('INSERT INTO amounts SELECT 3, 1.5e0')).toMatch(/^Insert query has mismatched column types/);
  });

  test('current_date is the UTC date, as in Athena\'s session time zone', async () => {
    await run("CREATE TABLE today WITH (external_location = 's3://lake/today/') AS SELECT current_date AS d");

    expect(columnTypes('today')).toEqual(['d date']);
    expect(await aws.query('SELECT d FROM today', 'lake')).toEqual([{ d: new Date().toISOString().slice(0, 10) }]);
  });

  test('refuses a function it cannot run faithfully, naming it', async () => {
    const refused = await run("SELECT soundex('CHYNA')").then(() => undefined, (thrown: unknown) => thrown as Error);

    expect(refused?.name).toBe('LocalRunner.UnsupportedStatement');
    expect(refused?.message).toMatch(/^The KeepDataUpToDate local runner does not support Athena's soundex: .* cannot run it faithfully/);
  });
});
