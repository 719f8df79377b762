import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSampleSource, days } from '../../../../demo/sample-data';
import { UnsupportedStatementError } from '../../../athena/api/errors';
import { QueryFailedError } from '../../../athena/api/local-athena';
import { parseStatement } from '../../../athena/statements/statement';
import { GlueCatalog } from '../../../glue/glue-catalog';
import { LocalAws } from '../../../local-aws';

const CREATE_ICEBERG = `CREATE TABLE "sales"."orders_iceberg"
WITH (table_type = 'ICEBERG', is_external = false, location = 's3://lake/orders_iceberg', format = 'PARQUET', write_compression = 'SNAPPY', partitioning = ARRAY['dt'])
AS SELECT order_id, customer, amount, dt FROM sales.orders`;

const MERGE = `MERGE INTO "sales"."orders_iceberg" AS t
USING (SELECT order_id, customer, amount, dt FROM sales.orders WHERE dt > ?) AS s
ON t.order_id = s.order_id
WHEN MATCHED THEN UPDATE SET customer = s.customer, amount = s.amount, dt = s.dt
WHEN NOT MATCHED THEN INSERT (order_id, customer, amount, dt) VALUES (s.order_id, s.customer, s.amount, s.dt)`;

describe('parsing Iceberg statements', () => {
  test('an Iceberg CTAS takes location and identity partitioning', () => {
    expect(parseStatement(`${CREATE_ICEBERG} WITH NO DATA`)).toMatchObject({
      kind: 'CREATE_TABLE_AS_SELECT',
      properties: { tableType: 'ICEBERG', location: 's3://lake/orders_iceberg/', partitionedBy: ['dt'], compression: 'snappy' },
      withData: false,
    });
  });

  test('a MERGE splits into target, source, condition and clauses, verbatim', () => {
    expect(parseStatement(MERGE)).toEqual({
      kind: 'MERGE',
      table: { database: 'sales', table: 'orders_iceberg' },
      targetAlias: 't',
      source: '(SELECT order_id, customer, amount, dt FROM sales.orders WHERE dt > ?) AS s',
      sourceAlias: 's',
      condition: 't.order_id = s.order_id',
      clauses: MERGE.slice(MERGE.indexOf('WHEN MATCHED')),
    });
    expect(parseStatement('MERGE INTO orders_iceberg USING sales.orders ON orders_iceberg.order_id = orders.order_id WHEN NOT MATCHED THEN INSERT VALUES (orders.order_id, orders.customer, orders.amount, orders.dt)'))
      .toMatchObject({ targetAlias: 'orders_iceberg', source: 'sales.orders', sourceAlias: 'orders' });
  });

  test.each([
    ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', /does not support MERGE statements with WHEN MATCHED … THEN DELETE/],
    ['MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED BY SOURCE THEN DELETE', /does not support MERGE clauses WHEN NOT MATCHED BY …/],
    ['MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT *', /does not support MERGE statements with WHEN NOT MATCHED … THEN INSERT \*/],
    ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET *', /does not support MERGE statements with WHEN MATCHED … THEN UPDATE SET \*/],
    ['MERGE INTO t USING a JOIN b ON a.id = b.id ON t.id = a.id WHEN MATCHED THEN UPDATE SET x = a.x', /does not support a MERGE source that joins tables outside parentheses/],
    ["CREATE TABLE t WITH (table_type = 'ICEBERG', is_external = false, location = 's3://lake/t/', partitioning = ARRAY['month(dt)']) AS SELECT 1 AS a", /does not support the partition transform 'month\(dt\)'/],
    ["CREATE TABLE t WITH (table_type = 'ICEBERG', is_external = false, location = 's3://lake/t/', partitioned_by = ARRAY['dt']) AS SELECT 1 AS a", /does not support the table property partitioned_by of an Iceberg table/],
    ["CREATE TABLE t WITH (table_type = 'ICEBERG', is_external = false, location = 's3://lake/t/', write_compression = 'LZ4') AS SELECT 1 AS a", /does not support write_compression = 'LZ4' for an Iceberg table/],
    ["CREATE TABLE t WITH (table_type = 'ICEBERG', external_location = 's3://lake/t/') AS SELECT 1 AS a", /does not support table_type = 'ICEBERG' without is_external = false/],
  ])('refuses %s, naming the construct', (sql, reason) => {
    expect(() => parseStatement(sql)).toThrow(UnsupportedStatementError);
    expect(() => parseStatement(sql)).toThrow(reason);
  });
});

describe('running Iceberg statements with DuckDB', () => {
  let aws: LocalAws;
  let dataDir: string;
  const run = (QueryString: string, ExecutionParameters?: string[]) =>
    aws.athena.startQueryExecution({ QueryString, ExecutionParameters, QueryExecutionContext: { Database: 'sales' } });
  const failureOf = async (sql: string, parameters?: string[]) => {
    const error = await run(sql, parameters).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(QueryFailedError);
    return (error as QueryFailedError).queryExecution;
  };
  const dataFiles = () => {
    const directory = aws.s3.pathOf('s3://lake/orders_iceberg/data/');
    return fs.existsSync(directory) ? (fs.readdirSync(directory, { recursive: true }) as string[]).filter((file) => file.endsWith('.parquet')).sort() : [];
  };
  const ALL_ROWS = 'SELECT order_id, customer, amount, dt FROM sales.orders_iceberg ORDER BY order_id';

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-iceberg-'));
    aws = await LocalAws.create(dataDir);
    await createSampleSource(aws, days('2026-01-01', 3), 2);
  });

  afterEach(() => {
    aws.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('an Iceberg CTAS registers an Iceberg table in the catalog and writes partitioned Parquet under data/', async () => {
    await run(CREATE_ICEBERG);

    const table = aws.catalog.getTable('sales', 'orders_iceberg')!;
    expect(table).toMatchObject({
      tableType: 'ICEBERG',
      location: 's3://lake/orders_iceberg/',
      columns: [{ name: 'order_id', type: 'string' }, { name: 'customer', type: 'string' }, { name: 'amount', type: 'decimal(10,2)' }, { name: 'dt', type: 'string' }],
      partitionKeys: [],
      partitioning: ['dt'],
      compression: 'snappy',
    });
    expect(GlueCatalog.toGetTableResponse(table).Table.Parameters).toEqual({ table_type: 'ICEBERG' });
    expect(dataFiles().map((file) => path.dirname(file))).toEqual(['dt=2026-01-01', 'dt=2026-01-02', 'dt=2026-01-03']);
    expect(await aws.query(ALL_ROWS)).toEqual(await aws.query('SELECT order_id, customer, amount, dt FROM sales.orders ORDER BY order_id'));
  });

  test('MERGE updates the matched rows and inserts the others, and replaces the data files', async () => {
    // GIVEN an Iceberg table holding the first day
    await run(`${CREATE_ICEBERG} WHERE dt = '2026-01-01'`);
    const filesBefore = dataFiles();

    // WHEN a source with a changed first-day order and the later days is merged into it
    const execution = await run(MERGE.replace(
      'SELECT order_id, customer, amount, dt FROM sales.orders WHERE dt > ?',
      "SELECT order_id, 'changed' AS customer, amount, dt FROM sales.orders WHERE order_id = 'o-2026-01-01-000' UNION ALL SELECT order_id, customer, amount, dt FROM sales.orders WHERE dt > '2026-01-01'",
    ));

    // THEN Athena's MERGE statement type is reported, with what the engine read
    expect(execution).toMatchObject({ StatementType: 'DML', SubstatementType: 'MERGE', Status: { State: 'SUCCEEDED' } });
    expect(execution.Statistics.DataScannedInBytes).toBeGreaterThan(0);
    // AND the matched row is updated, the others inserted
    const rows = await aws.query(ALL_ROWS);
    expect(rows).toHaveLength(6);
    expect(rows.filter((row) => row.customer === 'changed').map((row) => row.order_id)).toEqual(['o-2026-01-01-000']);
    // AND every file was rewritten: none of the old ones is left
    expect(dataFiles().filter((file) => filesBefore.includes(file))).toEqual([]);
    expect(dataFiles().map((file) => path.dirname(file))).toEqual(['dt=2026-01-01', 'dt=2026-01-02', 'dt=2026-01-03']);
  });

  test('fails as Athena does when one target row matches two source rows, and leaves the table as it was', async () => {
    await run(CREATE_ICEBERG);
    const filesBefore = dataFiles();
    const rowsBefore = await aws.query(ALL_ROWS);

    const failed = await failureOf(MERGE.replace('WHERE dt > ?', 'UNION ALL SELECT order_id, customer, amount + 1, dt FROM sales.orders'));

    expect(failed.Status.StateChangeReason).toBe('MERGE_TARGET_ROW_MULTIPLE_MATCHES: One MERGE target table row matched more than one source row');
    expect(dataFiles()).toEqual(filesBefore);
    expect(await aws.query(ALL_ROWS)).toEqual(rowsBefore);
  });

  test('a MERGE that fails in the engine leaves the table as it was', async () => {
    await run(CREATE_ICEBERG);
    const filesBefore = dataFiles();

    const failed = await failureOf(MERGE.replace('customer = s.customer', 'customer = CAST(CAST(s.customer AS integer) AS varchar)').replace('?', "'2026-01-01'"));

    expect(failed.Status.StateChangeReason).toMatch(/^INVALID_CAST_ARGUMENT: Cannot cast 'customer-\d+' to INT$/);
    expect(dataFiles()).toEqual(filesBefore);
  });

  test('fails as Athena does on a MERGE with execution parameters, which Athena takes only in SELECT, INSERT INTO, CTAS and UNLOAD', async () => {
    const failed = await failureOf(MERGE, ["'2026-01-01'"]);
    expect(failed.Status.StateChangeReason).toBe('Execution parameters are supported only in SELECT, INSERT INTO, CTAS and UNLOAD statements, not in a MERGE statement');
  });

  test('a MERGE source is Trino SQL: translated to Trino\'s meaning, or refused', async () => {
    await run(`${CREATE_ICEBERG} WHERE dt = '2026-01-01'`);

    // split_part past the last field is NULL in Trino, '' in DuckDB.
    await run(MERGE.replace('SELECT order_id, customer, amount, dt FROM sales.orders WHERE dt > ?',
      "SELECT order_id, split_part(customer, '-', 3) AS customer, amount, dt FROM sales.orders WHERE order_id = 'o-2026-01-01-000'"));
    expect(await aws.query("SELECT customer FROM sales.orders_iceberg WHERE order_id = 'o-2026-01-01-000'")).toEqual([{ customer: undefined }]);

    const refused = await run(MERGE.replace('SELECT order_id, customer, amount, dt FROM sales.orders WHERE dt > ?',
      "SELECT order_id, customer, amount, dt FROM sales.orders WHERE regexp_position(customer, 'x') > 0")).then(() => undefined, (error: Error) => error);
    expect(refused?.name).toBe('LocalRunner.UnsupportedStatement');
    expect(refused?.message).toMatch(/does not support Athena's regexp_position/);
  });

  test('fails as Athena does on a MERGE into a Hive table', async () => {
    const failed = await failureOf(MERGE.replace('"sales"."orders_iceberg"', 'sales.orders').replace('?', "'2026-01-01'"));

    expect(failed.Status.StateChangeReason).toBe('NOT_SUPPORTED: Modifying Hive table rows is only supported for transactional tables');
  });

  test('fails as Athena does on an Iceberg column type it does not have', async () => {
    const failed = await failureOf("CREATE TABLE sales.small WITH (table_type = 'ICEBERG', is_external = false, location = 's3://lake/small/') AS SELECT CAST(1 AS smallint) AS a");

    expect(failed.Status.StateChangeReason).toBe('NOT_SUPPORTED: Type not supported for Iceberg: smallint');
    expect(aws.catalog.getTable('sales', 'small')).toBeUndefined();
  });

  test('INSERT INTO an Iceberg table adds files under data/', async () => {
    await run(`${CREATE_ICEBERG} WITH NO DATA`);

    await run("INSERT INTO sales.orders_iceberg SELECT order_id, customer, amount, dt FROM sales.orders WHERE dt = '2026-01-02'");

    expect(dataFiles().map((file) => path.dirname(file))).toEqual(['dt=2026-01-02']);
    expect(await aws.query('SELECT count(*) AS n FROM sales.orders_iceberg')).toEqual([{ n: '2' }]);
  });
});
