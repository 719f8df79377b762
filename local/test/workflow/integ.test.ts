import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  FIRST_DAY_ORDERS, insertOrdersQuery, KeepDataStack, KeepDataStackProps, Order, SECOND_DAY_ORDERS, SOURCE_COLUMNS,
  SOURCE_PARTITION_KEYS, SOURCE_TABLE_NAME, TARGET_TABLE_NAME, THIRD_DAY_ORDERS,
} from '../../../integ/stacks/keep-data-stack';
import { synthesizeStateMachine } from '../../assembly/definition';
import { LocalAws } from '../../local-aws';

/*
 * The integration test cases deploy KeepDataStack and assert on the target with Athena. Here the
 * same stack's state machine runs offline, fed by the same source rows through the same Athena
 * INSERT statements, and the target must hold what the deployed assertions expect.
 */

const DATABASE = 'keep_data_up_to_date_integ';
let dataDir: string;
let aws: LocalAws;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-integ-'));
  aws = await LocalAws.create(dataDir);
});

afterEach(() => {
  aws.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The integ stack, its resolved state machine, and its source table registered in the local catalog. */
function deployLocally(props: Omit<KeepDataStackProps, 'databaseName'> = {}) {
  const app = new App();
  const stack = new KeepDataStack(app, 'KeepDataUpToDateInteg', { databaseName: DATABASE, ...props });
  const machine = synthesizeStateMachine(app);
  // The local runner names a bucket the stack creates after its lower-cased logical id.
  const bucketName = stack.getLogicalId(stack.dataBucket.node.defaultChild as s3.CfnBucket).toLowerCase();
  aws.catalog.createDatabase(DATABASE);
  aws.catalog.createTable({
    databaseName: DATABASE,
    name: SOURCE_TABLE_NAME,
    location: `s3://${bucketName}/${stack.sourceDataLocation.prefix}`,
    format: 'parquet',
    columns: SOURCE_COLUMNS.map((column) => ({ name: column.name, type: column.type! })),
    partitionKeys: SOURCE_PARTITION_KEYS.map((column) => ({ name: column.name, type: column.type! })),
    compression: 'snappy',
    createTime: new Date().toISOString(),
  });
  return machine;
}

/** Adds orders with the same Athena statement the deployed test runs. */
async function insert(orders: Order[]): Promise<void> {
  await aws.athena.startQueryExecution({ QueryString: insertOrdersQuery(DATABASE, orders) });
}

async function totals(): Promise<Array<Record<string, string | undefined>>> {
  return aws.query(`SELECT count(*) AS days, sum(orders) AS orders FROM ${DATABASE}.${TARGET_TABLE_NAME}`);
}

test('the integ stack\'s workflow, run offline, leaves the target the deployed assertions expect', async () => {
  const machine = deployLocally();

  await insert(FIRST_DAY_ORDERS);
  const first = await aws.startExecution(machine);
  expect(first.status).toBe('SUCCEEDED');
  expect(first.statesEntered).toContain('Create Target Table');
  expect(await totals()).toEqual([{ days: '1', orders: String(FIRST_DAY_ORDERS.length) }]);

  await insert(SECOND_DAY_ORDERS);
  const second = await aws.startExecution(machine);
  expect(second.status).toBe('SUCCEEDED');
  expect(second.statesEntered).not.toContain('Create Target Table');
  expect(await totals()).toEqual([{ days: '2', orders: String(FIRST_DAY_ORDERS.length + SECOND_DAY_ORDERS.length) }]);
});

test('the integ watermark case loads two new days in two windows', async () => {
  const machine = deployLocally({ maxDaysPerQuery: 1 });

  await insert(FIRST_DAY_ORDERS);
  expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
  expect(await totals()).toEqual([{ days: '1', orders: String(FIRST_DAY_ORDERS.length) }]);

  await insert(SECOND_DAY_ORDERS);
  await insert(THIRD_DAY_ORDERS);
  const run = await aws.startExecution(machine);
  expect(run.status).toBe('SUCCEEDED');
  expect(run.statesEntered.filter((state) => state === 'Update Target Table')).toHaveLength(2);
  expect(await totals()).toEqual([{ days: '3', orders: String(FIRST_DAY_ORDERS.length + SECOND_DAY_ORDERS.length + THIRD_DAY_ORDERS.length) }]);
});

test('the integ Iceberg maintenance case merges the days, the newest again, and turns the optimizers on once', async () => {
  const machine = deployLocally({ maxDaysPerQuery: 1, icebergSummary: true });

  await insert(FIRST_DAY_ORDERS);
  const first = await aws.startExecution(machine);
  expect(first.status).toBe('SUCCEEDED');
  expect(await totals()).toEqual([{ days: '1', orders: String(FIRST_DAY_ORDERS.length) }]);
  expect(aws.tableOptimizers.list().map((optimizer) => optimizer.type).sort()).toEqual(['compaction', 'orphan_file_deletion', 'retention']);

  await insert(SECOND_DAY_ORDERS);
  await insert(THIRD_DAY_ORDERS);
  const run = await aws.startExecution(machine);
  expect(run.status).toBe('SUCCEEDED');
  // The lookback merges the first day again, then the two new days, one window each.
  expect(run.statesEntered.filter((state) => state === 'Update Target Table')).toHaveLength(3);
  expect(run.statesEntered.filter((state) => state.startsWith('Enable '))).toEqual([]);
  expect(await totals()).toEqual([{ days: '3', orders: String(FIRST_DAY_ORDERS.length + SECOND_DAY_ORDERS.length + THIRD_DAY_ORDERS.length) }]);
});

test('the integ case with an existing workgroup that enforces its result location creates an Iceberg summary, which that workgroup accepts', async () => {
  const machine = deployLocally({ existingWorkGroup: true });
  expect(Object.values(machine.workGroups ?? {})).toContainEqual(expect.objectContaining({ enforceConfiguration: true }));

  await insert(FIRST_DAY_ORDERS);
  const first = await aws.startExecution(machine);
  expect(first.status).toBe('SUCCEEDED');
  expect(aws.catalog.getTable(DATABASE, TARGET_TABLE_NAME)?.tableType).toBe('ICEBERG');
  expect(await totals()).toEqual([{ days: '1', orders: String(FIRST_DAY_ORDERS.length) }]);

  await insert(SECOND_DAY_ORDERS);
  expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
  expect(await totals()).toEqual([{ days: '2', orders: String(FIRST_DAY_ORDERS.length + SECOND_DAY_ORDERS.length) }]);
});

test('a Hive summary in that enforcing workgroup fails at Create Target Table, as Athena documents', async () => {
  const machine = deployLocally({ existingWorkGroup: true });
  // The same workflow, its create statement a Hive CTAS with external_location.
  const create = machine.definition.States['Create Target Table'] as unknown as { Parameters: { QueryString: string } };
  create.Parameters.QueryString = create.Parameters.QueryString
    .replace("table_type = 'ICEBERG', is_external = false, location", 'external_location')
    .replace('partitioning', 'partitioned_by');

  await insert(FIRST_DAY_ORDERS);
  const run = await aws.startExecution(machine);
  expect(run.status).toBe('FAILED');
  expect(run.error).toBe('Athena.InvalidRequestException');
  expect(run.cause).toMatch(/submitted with an 'external_location' property to an Athena Workgroup that enforces a centralized output location/);
});

test('the integ case with a customer managed key loads both days', async () => {
  const machine = deployLocally({ customerManagedKey: true });
  await insert(FIRST_DAY_ORDERS);
  expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
  await insert(SECOND_DAY_ORDERS);
  expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
  expect(await totals()).toEqual([{ days: '2', orders: String(FIRST_DAY_ORDERS.length + SECOND_DAY_ORDERS.length) }]);
});
