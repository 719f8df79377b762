import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { addSourceOrders, addSourcePartitions, createSampleSource, days, SAMPLE_SOURCE } from '../../../../demo/sample-data';
import { KeepDataUpToDate, KeepDataUpToDateProps, TargetQueries } from '../../../../src';
import { synthesizeStateMachine } from '../../../assembly/definition';
import { parseStatement } from '../../../athena/statements/statement';
import { LocalAws } from '../../../local-aws';
import { runLocally } from '../../../run-locally';
import { FIXTURE_ORDERS, writeParquetOrders } from '../../analytics-app';

const TARGET = '"s3tablescatalog/analytics-tables"."curated"."orders_latest"';
const NAMESPACE = 's3tablescatalog/analytics-tables/curated';
const SOURCE = `${SAMPLE_SOURCE.databaseName}.${SAMPLE_SOURCE.tableName}`;
const ALL_ROWS = (table: string) => `SELECT order_id, customer, CAST(amount AS VARCHAR) AS amount, dt FROM ${table} ORDER BY dt, order_id`;

/** The sample orders merged into an S3 table in namespace `curated` of table bucket `analytics-tables`. */
function s3TablesMachine(overrides: Partial<KeepDataUpToDateProps> = {}, outdir?: string) {
  const app = new App(outdir ? { outdir } : {});
  const stack = new Stack(app, 'Orders', { env: { account: '111122223333', region: 'us-east-1' } });
  new KeepDataUpToDate(stack, 'LatestOrders', {
    databaseName: SAMPLE_SOURCE.databaseName,
    targetTableName: 'orders_latest',
    sourceTableNames: [SAMPLE_SOURCE.tableName],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'Lake', SAMPLE_SOURCE.bucketName), prefix: SAMPLE_SOURCE.prefix }],
    queries: TargetQueries.mergeNewerRowsIntoS3Table({
      tableBucketArn: 'arn:aws:s3tables:us-east-1:111122223333:bucket/analytics-tables',
      namespace: 'curated',
      sourceTableName: SAMPLE_SOURCE.tableName,
      uniqueKey: ['order_id'],
      watermarkColumn: 'dt',
      columns: ['order_id', 'customer', 'amount', 'dt'],
      columnTypes: { order_id: 'string', customer: 'string', amount: 'decimal(10,2)', dt: 'string' },
    }),
    ...overrides,
  });
  return synthesizeStateMachine(app);
}

let aws: LocalAws;
let dataDir: string;

beforeEach(async () => {
  // GIVEN three days of source orders, and the table bucket's namespace (the user's)
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-s3-tables-'));
  aws = await LocalAws.create(dataDir);
  await createSampleSource(aws, days('2026-01-01', 3));
});

afterEach(() => {
  aws.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('parses a CREATE TABLE with backquoted columns, partitioning and table properties', () => {
  expect(parseStatement("CREATE TABLE t (\n  `order_id` string,\n  `amount` decimal(10, 2),\n  `dt` date\n)\nPARTITIONED BY (`dt`)\nTBLPROPERTIES ('table_type' = 'ICEBERG', 'write_compression' = 'SNAPPY')")).toEqual({
    kind: 'CREATE_TABLE',
    table: { table: 't' },
    ifNotExists: false,
    columns: [{ name: 'order_id', type: 'string' }, { name: 'amount', type: 'decimal(10,2)' }, { name: 'dt', type: 'date' }],
    partitionedBy: ['dt'],
    properties: { table_type: 'ICEBERG', write_compression: 'SNAPPY' },
  });
  expect(parseStatement('SELECT 1').kind).toBe('SELECT');
  expect(parseStatement(`INSERT INTO ${TARGET} SELECT 1`)).toMatchObject({ table: { catalog: 's3tablescatalog/analytics-tables', database: 'curated', table: 'orders_latest' } });
});

test('the first execution creates the S3 table in its namespace and merges every source row; the next merges the newer and changed rows', async () => {
  // GIVEN
  aws.catalog.createDatabase(NAMESPACE);
  const machine = s3TablesMachine();

  // WHEN the workflow runs on a target that does not exist
  const first = await aws.startExecution(machine);

  // THEN Get Target Table did not find it in the table bucket's catalog, Create Target Table created it there, and the windows filled it
  expect(first.status).toBe('SUCCEEDED');
  expect(first.statesEntered).toEqual(expect.arrayContaining(['Get Target Table', 'Create Target Table', 'Update Target Table']));
  expect(first.statesEntered.filter((state) => /Maintenance|Compaction/.test(state))).toEqual([]);
  const table = aws.catalog.getTable(NAMESPACE, 'orders_latest');
  expect(table).toMatchObject({ tableType: 'ICEBERG', partitioning: ['dt'], location: 's3://analytics-tables--table-s3/curated/orders_latest/' });
  expect(table!.columns).toEqual([
    { name: 'order_id', type: 'string' }, { name: 'customer', type: 'string' }, { name: 'amount', type: 'decimal(10,2)' }, { name: 'dt', type: 'string' },
  ]);
  expect(await aws.query(ALL_ROWS(TARGET))).toEqual(await aws.query(ALL_ROWS(SOURCE)));
  expect(await aws.query(`SELECT count(*) AS n FROM ${TARGET}`)).toEqual([{ n: '15' }]);

  // WHEN a new day arrives, and with it an order loaded before, changed
  await addSourcePartitions(aws, days('2026-01-04', 1));
  const [changed] = await aws.query(`SELECT order_id FROM ${SOURCE} WHERE dt = '2026-01-03' ORDER BY order_id LIMIT 1`);
  await addSourceOrders(aws, [{ orderId: changed.order_id!, customer: 'late-customer', amount: 99, dt: '2026-01-04' }]);
  const second = await aws.startExecution(machine);

  // THEN it took the update path and merged: the new day added, the changed order replaced, nothing doubled
  expect(second.status).toBe('SUCCEEDED');
  expect(second.statesEntered).not.toContain('Create Target Table');
  expect(await aws.query(`SELECT count(*) AS n FROM ${TARGET}`)).toEqual([{ n: '20' }]);
  expect(await aws.query(`SELECT customer, CAST(amount AS VARCHAR) AS amount, dt FROM ${TARGET} WHERE order_id = '${changed.order_id}'`))
    .toEqual([{ customer: 'late-customer', amount: '99.00', dt: '2026-01-04' }]);
  expect(await aws.query(`SELECT count(DISTINCT order_id) AS n FROM ${TARGET}`)).toEqual([{ n: '20' }]);
});

test('without the namespace, Create Target Table fails as Athena does', async () => {
  // GIVEN no namespace curated in the table bucket
  const machine = s3TablesMachine();

  // WHEN
  const run = await aws.startExecution(machine);

  // THEN
  expect(run.status).toBe('FAILED');
  expect(run.cause).toContain('SCHEMA_NOT_FOUND: Schema curated does not exist');
});

test('in a workgroup that encrypts results with SSE-KMS, the merge into the S3 table fails, as Athena documents', async () => {
  // GIVEN an existing workgroup that enforces SSE-KMS results
  aws.catalog.createDatabase(NAMESPACE);
  const machine = s3TablesMachine({ workGroupName: 'kms-team' });
  // (its result location is one the role may write: the construct's results location)
  const outputLocation = (machine.definition.States['Create Target Table'] as any).Parameters.ResultConfiguration.OutputLocation;
  aws.athena.useWorkGroups({
    'kms-team': { name: 'kms-team', enforceConfiguration: true, outputLocation, encryptionOption: 'SSE_KMS', kmsKey: 'arn:aws:kms:us-east-1:111122223333:key/1' },
  });

  // WHEN
  const run = await aws.startExecution(machine);

  // THEN the table was created (DDL), and the first MERGE failed; the target holds nothing
  expect(run.status).toBe('FAILED');
  expect(run.statesEntered).toContain('Create Target Table');
  expect(run.cause).toContain('MERGE into an S3 table cannot run with query results encrypted with SSE_KMS');
  expect(await aws.query(`SELECT count(*) AS n FROM ${TARGET}`)).toEqual([{ n: '0' }]);
});

test('runLocally makes the namespace, as the user would have, and reads the S3 table it fills', async () => {
  // GIVEN the app synthesized to a cloud assembly, and the orders as Parquet under sales/orders/
  const assembly = path.join(dataDir, 'cdk.out');
  s3TablesMachine({}, assembly);
  const data = path.join(dataDir, 'data');
  await writeParquetOrders(data);

  // WHEN
  const result = await runLocally({ assembly, data, executions: 2 });

  // THEN the first execution created the table in the namespace, the second found it, and the target holds every order
  expect(result.executions.map((execution) => [execution.status, execution.createdTarget])).toEqual([['SUCCEEDED', true], ['SUCCEEDED', false]]);
  expect(result.target.name).toBe(TARGET);
  expect(result.target.rows.map((row) => row.order_id).sort()).toEqual(FIXTURE_ORDERS.map((order) => order.order_id).sort());
});
