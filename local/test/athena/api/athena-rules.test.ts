import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSampleSource, days } from '../../../../demo/sample-data';
import { LocalWorkGroup } from '../../../assembly/definition';
import { QueryFailedError, StartQueryExecutionInput } from '../../../athena/api/local-athena';
import { LocalAws } from '../../../local-aws';

/*
 * One test (or more) for each rule of docs/athena-rules.md: the local Athena must fail where
 * Athena's documentation says Athena fails. Each test names the rule it reproduces.
 */

let aws: LocalAws;
let dataDir: string;

const ENFORCING: LocalWorkGroup = {
  name: 'enforcing',
  enforceConfiguration: true,
  outputLocation: 's3://central-results/queries/',
  encryptionOption: 'SSE_KMS',
  kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/central',
};
const OPEN: LocalWorkGroup = { name: 'open', enforceConfiguration: false, outputLocation: 's3://wg-results/', encryptionOption: 'SSE_S3' };
// The sample source's three files are about 580 bytes each: a query that reads them all reads more than this.
const LIMITED: LocalWorkGroup = { name: 'limited', enforceConfiguration: false, bytesScannedCutoffPerQuery: 1_000 };

const run = (QueryString: string, more: Partial<StartQueryExecutionInput> = {}) =>
  aws.athena.startQueryExecution({ QueryString, QueryExecutionContext: { Database: 'sales' }, ...more });
const failureOf = async (sql: string, more: Partial<StartQueryExecutionInput> = {}) => {
  const error = await run(sql, more).then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(QueryFailedError);
  return (error as QueryFailedError).queryExecution;
};
const parquetFilesUnder = (uri: string) => {
  const directory = aws.s3.pathOf(uri);
  return (fs.existsSync(directory) ? fs.readdirSync(directory, { recursive: true }) as string[] : []).filter((file) => file.endsWith('.parquet')).sort();
};

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-athena-rules-'));
  aws = await LocalAws.create(dataDir);
  aws.athena.useWorkGroups({ enforcing: ENFORCING, open: OPEN, limited: LIMITED });
  await createSampleSource(aws, days('2026-01-01', 3), 2);
});

afterEach(() => {
  aws.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('rule 1: a workgroup that enforces its result location refuses a Hive CTAS with external_location', () => {
  test('StartQueryExecution fails with Athena\'s InvalidRequestException, and no table is created', async () => {
    const error = await run("CREATE TABLE sales.daily WITH (external_location = 's3://lake/daily/', partitioned_by = ARRAY['dt']) AS SELECT order_id, dt FROM sales.orders", { WorkGroup: 'enforcing' })
      .then(() => undefined, (thrown: unknown) => thrown as Error);
    expect(error?.name).toBe('Athena.InvalidRequestException');
    expect(error?.message).toBe("The Create Table As Select query failed because it was submitted with an 'external_location' property to an Athena Workgroup that enforces a centralized output location for all queries. Please remove the 'external_location' property and resubmit the query.");
    expect(aws.catalog.getTable('sales', 'daily')).toBeUndefined();
    expect(parquetFilesUnder('s3://lake/daily/')).toEqual([]);
  });

  test('without external_location, the table goes under the enforced location, in tables/<query id>/', async () => {
    const execution = await run("CREATE TABLE sales.daily WITH (partitioned_by = ARRAY['dt']) AS SELECT order_id, dt FROM sales.orders", { WorkGroup: 'enforcing' });
    expect(aws.catalog.getTable('sales', 'daily')?.location).toBe(`s3://central-results/queries/tables/${execution.QueryExecutionId}/`);
  });

  test('an Iceberg CTAS\'s location, which the guide does not name, and a workgroup that does not enforce, are accepted', async () => {
    await run("CREATE TABLE sales.iceberg WITH (table_type = 'ICEBERG', is_external = false, location = 's3://lake/iceberg/') AS SELECT order_id, dt FROM sales.orders", { WorkGroup: 'enforcing' });
    await run("CREATE TABLE sales.daily WITH (external_location = 's3://lake/daily/', partitioned_by = ARRAY['dt']) AS SELECT order_id, dt FROM sales.orders", { WorkGroup: 'open' });
    expect(aws.catalog.getTable('sales', 'iceberg')?.location).toBe('s3://lake/iceberg/');
    expect(aws.catalog.getTable('sales', 'daily')?.location).toBe('s3://lake/daily/');
  });
});

describe('rule 2: an enforcing workgroup overrides the client\'s result location and encryption', () => {
  test('enforced: the workgroup\'s; not enforced: the client\'s, and the workgroup\'s where the client sent none', async () => {
    const client = { OutputLocation: 's3://client/', EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } };
    const enforced = await run('SELECT 1 AS a', { WorkGroup: 'enforcing', ResultConfiguration: client });
    expect(enforced.ResultConfiguration).toEqual({
      OutputLocation: `s3://central-results/queries/${enforced.QueryExecutionId}.csv`,
      EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: ENFORCING.kmsKey },
    });
    const open = await run('SELECT 1 AS a', { WorkGroup: 'open', ResultConfiguration: client });
    expect(open.ResultConfiguration).toEqual({ OutputLocation: `s3://client/${open.QueryExecutionId}.csv`, EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } });
    const defaults = await run('SELECT 1 AS a', { WorkGroup: 'open' });
    expect(defaults.ResultConfiguration).toEqual({ OutputLocation: `s3://wg-results/${defaults.QueryExecutionId}.csv`, EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } });
  });
});

describe('rule 3: execution parameters only in SELECT, INSERT INTO, CTAS and UNLOAD, only in a WHERE clause', () => {
  test('in a WHERE clause of a SELECT, an INSERT and a CTAS, they are bound', async () => {
    const selected = await run('SELECT count(*) AS n FROM sales.orders WHERE dt > ? AND order_id IN (SELECT order_id FROM sales.orders WHERE dt <= ?)', {
      ExecutionParameters: ["'2026-01-01'", "'2026-01-02'"],
    });
    expect(aws.athena.queryResults(selected.QueryExecutionId)?.rows).toEqual([['2']]);
    await run("CREATE TABLE sales.copy WITH (external_location = 's3://lake/copy/') AS SELECT order_id FROM sales.orders WHERE dt = ?", { ExecutionParameters: ["'2026-01-01'"] });
    await run('INSERT INTO sales.copy SELECT order_id FROM sales.orders WHERE dt = ?', { ExecutionParameters: ["'2026-01-02'"] });
    expect(await aws.query('SELECT count(*) AS n FROM sales.copy')).toEqual([{ n: '4' }]);
  });

  test.each([
    ['SELECT ? AS a FROM sales.orders', 'the SELECT clause'],
    ['SELECT dt, count(*) FROM sales.orders GROUP BY dt HAVING count(*) > ?', 'the HAVING clause'],
    ['SELECT order_id FROM sales.orders ORDER BY order_id LIMIT ?', 'the LIMIT clause'],
  ])('fails %s (in %s)', async (sql, clause) => {
    const failed = await failureOf(sql, { ExecutionParameters: ['1'] });
    expect(failed.Status.StateChangeReason).toMatch(new RegExp(`Execution parameters can be placed only in the WHERE clause \\(this one is in ${clause}\\)`));
  });

  test('a quoted ? is text, not a parameter', async () => {
    const failed = await failureOf("SELECT order_id FROM sales.orders WHERE dt = '?'", { ExecutionParameters: ["'2026-01-01'"] });
    expect(failed.Status.StateChangeReason).toBe('Incorrect number of parameters: expected 0 but found 1');
  });
});

describe('rule 4: Trino never converts varchar to a date, timestamp or number in a comparison', () => {
  beforeEach(async () => {
    await run(`CREATE TABLE sales.typed WITH (external_location = 's3://lake/typed/', partitioned_by = ARRAY['d'])
      AS SELECT order_id, CAST(replace(dt, '-', '') AS integer) AS n, CAST(dt AS timestamp) AS ts, amount, CAST(dt AS date) AS d FROM sales.orders`);
  });

  test.each([
    ["SELECT order_id FROM sales.typed WHERE d > '2026-01-01'", 'line 1:44: Cannot apply operator: date > varchar(10)'],
    ["SELECT order_id FROM sales.typed WHERE '2026-01-01' < d", 'line 1:40: Cannot apply operator: varchar(10) < date'],
    ["SELECT order_id FROM sales.typed WHERE ts >= '2026-01-02 00:00:00'", 'line 1:46: Cannot apply operator: timestamp(3) >= varchar(19)'],
    ["SELECT order_id FROM sales.typed WHERE n = '20260101'", 'line 1:44: Cannot apply operator: integer = varchar(8)'],
    ["SELECT order_id FROM sales.typed WHERE amount > '10.00'", 'line 1:49: Cannot apply operator: decimal(10,2) > varchar(5)'],
    ["SELECT order_id FROM sales.typed WHERE d BETWEEN '2026-01-01' AND '2026-01-02'", /TYPE_MISMATCH: '2026-01-01' is a varchar\(10\) where a date is expected/],
  ])('fails %s', async (sql, reason) => {
    const failed = await failureOf(sql);
    expect(failed.Status.StateChangeReason).toEqual(typeof reason === 'string' ? reason : expect.stringMatching(reason));
  });

  test('a bound parameter keeps the type of its literal: varchar fails against a date, a date literal passes', async () => {
    const failed = await failureOf('SELECT count(*) AS n FROM sales.typed WHERE d > ?', { ExecutionParameters: ["'2026-01-01'"] });
    expect(failed.Status.StateChangeReason).toBe('line 1:49: Cannot apply operator: date > varchar(10)');
    const passed = await run('SELECT count(*) AS n FROM sales.typed WHERE d > ?', { ExecutionParameters: ["DATE '2026-01-01'"] });
    expect(aws.athena.queryResults(passed.QueryExecutionId)?.rows).toEqual([['4']]);
  });

  test('typed literals, CASTs, and strings compared with strings are accepted', async () => {
    const execution = await run(`SELECT count(*) AS n FROM sales.typed
      WHERE d > DATE '2026-01-01' AND ts < TIMESTAMP '2026-01-03 00:00:00' AND n >= 20260101 AND d <= CAST('2026-01-03' AS date)
        AND order_id LIKE 'o-%' AND amount > DECIMAL '1.00' AND concat(order_id, '-x') <> 'x'`);
    expect(aws.athena.queryResults(execution.QueryExecutionId)?.rows).toEqual([['2']]);
  });
});

describe('rule 5: at most 100 partitions per CTAS, INSERT INTO or MERGE', () => {
  const partitions = (count: number) => `SELECT order_id, dt || '-' || CAST(i AS varchar) AS p FROM sales.orders
    CROSS JOIN UNNEST(ARRAY[${Array.from({ length: count }, (_value, i) => i + 1).join(', ')}]) AS s(i) WHERE dt = '2026-01-01'`;

  test('a Hive CTAS or INSERT that writes 101 partitions fails with HIVE_TOO_MANY_OPEN_PARTITIONS, and 100 pass', async () => {
    const failed = await failureOf(`CREATE TABLE sales.wide WITH (external_location = 's3://lake/wide/', partitioned_by = ARRAY['p']) AS ${partitions(101)}`);
    expect(failed.Status.StateChangeReason).toBe('HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers for partitions/buckets');
    expect(aws.catalog.getTable('sales', 'wide')).toBeUndefined();

    await run(`CREATE TABLE sales.wide WITH (external_location = 's3://lake/wide/', partitioned_by = ARRAY['p']) AS ${partitions(100)}`);
    const insert = await failureOf(`INSERT INTO sales.wide ${partitions(101).replace("dt = '2026-01-01'", "dt = '2026-01-02'")}`);
    expect(insert.Status.StateChangeReason).toMatch(/^HIVE_TOO_MANY_OPEN_PARTITIONS/);
    expect(await aws.query('SELECT count(DISTINCT p) AS n FROM sales.wide')).toEqual([{ n: '100' }]);
  });

  test('an Iceberg CTAS or MERGE that writes 101 partitions fails with ICEBERG_TOO_MANY_OPEN_PARTITIONS', async () => {
    const failed = await failureOf(`CREATE TABLE sales.wide WITH (table_type = 'ICEBERG', is_external = false, location = 's3://lake/wide/', partitioning = ARRAY['p']) AS ${partitions(101)}`);
    expect(failed.Status.StateChangeReason).toBe('ICEBERG_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers for partitions');
    await run(`CREATE TABLE sales.wide WITH (table_type = 'ICEBERG', is_external = false, location = 's3://lake/wide/', partitioning = ARRAY['p']) AS ${partitions(1)}`);
    // Its one partition is there already: 102 values write 101 partitions.
    const merge = await failureOf(`MERGE INTO sales.wide AS t USING (${partitions(102)}) AS s ON t.order_id = s.order_id AND t.p = s.p
      WHEN NOT MATCHED THEN INSERT (order_id, p) VALUES (s.order_id, s.p)`);
    expect(merge.Status.StateChangeReason).toMatch(/^ICEBERG_TOO_MANY_OPEN_PARTITIONS/);
    expect(await aws.query('SELECT count(*) AS n FROM sales.wide')).toEqual([{ n: '2' }]);
  });
});

describe('rule 6: a CTAS needs an empty location', () => {
  test('a Hive CTAS into a location that holds data fails with HIVE_PATH_ALREADY_EXISTS; an Iceberg one fails too', async () => {
    const hive = await failureOf("CREATE TABLE sales.again WITH (external_location = 's3://example-data-lake/raw/orders/') AS SELECT 1 AS a");
    expect(hive.Status.StateChangeReason).toMatch(/^HIVE_PATH_ALREADY_EXISTS: Target directory for table 'sales.again' already exists/);
    const iceberg = await failureOf("CREATE TABLE sales.again WITH (table_type = 'ICEBERG', is_external = false, location = 's3://example-data-lake/raw/orders/') AS SELECT 1 AS a");
    expect(iceberg.Status.StateChangeReason).toMatch(/^Cannot create a table on a non-empty location/);
  });
});

describe('rule 7: in a Hive CTAS, the partition columns come last, in partitioned_by order', () => {
  test('fails with HIVE_COLUMN_ORDER_MISMATCH when they are not last, or out of order', async () => {
    for (const select of ['SELECT dt, order_id FROM sales.orders', 'SELECT customer, dt, order_id FROM sales.orders']) {
      const failed = await failureOf(`CREATE TABLE sales.bad WITH (external_location = 's3://lake/bad/', partitioned_by = ARRAY['dt', 'order_id']) AS ${select.replace('dt, order_id', 'order_id, dt')}`);
      expect(failed.Status.StateChangeReason).toBe('HIVE_COLUMN_ORDER_MISMATCH: Partition keys must be the last columns in the table and in the same order as the table properties: [dt, order_id]');
    }
  });
});

describe('rule 8: $partitions lists the partitions in the catalog, so none of a projected table\'s', () => {
  test('a table with projection.enabled has an empty $partitions, and its data still reads', async () => {
    const source = aws.catalog.getTable('sales', 'orders')!;
    aws.catalog.createTable({ ...source, name: 'projected', parameters: { 'projection.enabled': 'true', 'projection.dt.type': 'date' } });
    expect(await aws.query('SELECT count(*) AS n FROM "sales"."orders$partitions"')).toEqual([{ n: '3' }]);
    expect(await aws.query('SELECT count(*) AS n FROM "sales"."projected$partitions"')).toEqual([{ n: '0' }]);
    expect(await aws.query('SELECT count(*) AS n FROM sales.projected')).toEqual([{ n: '6' }]);
  });
});

describe('rules 9 and 10: the bytes-scanned cutoff cancels a query, and what a cancelled write wrote stays', () => {
  test('a SELECT over the limit ends CANCELLED: "Bytes scanned limit was exceeded"', async () => {
    const cancelled = await failureOf('SELECT * FROM sales.orders', { WorkGroup: 'limited' });
    expect(cancelled.Status).toMatchObject({ State: 'CANCELLED', StateChangeReason: 'Bytes scanned limit was exceeded' });
    expect(cancelled.Statistics.DataScannedInBytes).toBeGreaterThan(LIMITED.bytesScannedCutoffPerQuery!);
    // The same query in a workgroup without a limit succeeds.
    expect((await run('SELECT * FROM sales.orders', { WorkGroup: 'open' })).Status.State).toBe('SUCCEEDED');
  });

  test('a cancelled Hive INSERT leaves the files it wrote, and later queries read them', async () => {
    await run("CREATE TABLE sales.copy WITH (external_location = 's3://lake/copy/', partitioned_by = ARRAY['dt']) AS SELECT order_id, dt FROM sales.orders WITH NO DATA");
    const cancelled = await failureOf('INSERT INTO sales.copy SELECT order_id, dt FROM sales.orders', { WorkGroup: 'limited' });
    expect(cancelled.Status.State).toBe('CANCELLED');
    expect(parquetFilesUnder('s3://lake/copy/')).toHaveLength(3);
    expect(await aws.query('SELECT count(*) AS n FROM sales.copy')).toEqual([{ n: '6' }]);
  });

  test('a cancelled Iceberg write commits nothing', async () => {
    await run("CREATE TABLE sales.iceberg WITH (table_type = 'ICEBERG', is_external = false, location = 's3://lake/iceberg/') AS SELECT order_id, dt FROM sales.orders WITH NO DATA");
    const cancelled = await failureOf('INSERT INTO sales.iceberg SELECT order_id, dt FROM sales.orders', { WorkGroup: 'limited' });
    expect(cancelled.Status.State).toBe('CANCELLED');
    expect(parquetFilesUnder('s3://lake/iceberg/')).toEqual([]);
  });
});
