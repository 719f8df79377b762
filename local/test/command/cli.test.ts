import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { KeepDataUpToDate } from '../../../src';
import { FIXTURE_ORDERS, synthesizeAnalyticsApp, writeCsvOrders, writeParquetOrders } from '../analytics-app';
import { findWorkflows, runLocally } from 'cdk-keep-data-up-to-date-local';

/** The command as the package's `bin` runs it: compiled JavaScript (`npx projen local:build` first). */
const COMMAND = path.join(__dirname, '..', '..', 'bin', 'cdk-keep-data-up-to-date-local.js');

let workDir: string;
let assembly: string;
let failingAssembly: string;
let dataDir: string;

beforeAll(async () => {
  // GIVEN an app with two KeepDataUpToDate instances synthesized to a cdk.out, one with an update
  // query that names a column the source does not have, and hive-partitioned Parquet orders
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-command-'));
  assembly = path.join(workDir, 'cdk.out');
  failingAssembly = path.join(workDir, 'failing.out');
  dataDir = path.join(workDir, 'data');
  synthesizeAnalyticsApp(assembly);
  synthesizeAnalyticsApp(failingAssembly, {
    dailySalesUpdate: 'INSERT INTO {{database}}.{{targetTable}} SELECT count(*), sum(price), dt FROM {{database}}.{{sourceTable}} GROUP BY dt',
  });
  await writeParquetOrders(dataDir);
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [COMMAND, ...args], { cwd: workDir, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function parquetRows(directory: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.runAndReadAll(
      `SELECT orders, CAST(total AS VARCHAR) AS total, dt FROM read_parquet('${directory}/**/*.parquet', hive_partitioning = true, hive_types_autocast = false) ORDER BY dt`,
    );
    return result.getRowObjectsJS().map((row) => ({ ...row, orders: Number(row.orders) }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

test('list finds both workflows of the assembly by their construct paths', () => {
  // WHEN
  const result = run('list', assembly);

  // THEN
  expect(result.status).toBe(0);
  expect(result.stdout.trim().split('\n').map((line) => line.split(' ')[0])).toEqual(['Analytics/DailySales', 'Analytics/OrdersCurated']);
});

test('run creates the chosen target, then updates it, prints each state and leaves the target files in the data directory', async () => {
  // WHEN
  const result = run('run', assembly, '--data', dataDir, '--construct', 'Analytics/DailySales', '--executions', '2');

  // THEN the first execution takes the create path, the second the update path
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const [first, second] = result.stdout.split(/\nExecution 2 of 2\n/);
  expect(first).toMatch(/↪ Get Target Table .*caught Glue\.EntityNotFoundException, next: Create Target Table/);
  expect(first).toMatch(/✔ Create Target Table/);
  expect(second).not.toMatch(/Create Target Table \(/);
  expect(second).toMatch(/✔ Update Target Table/);
  expect(result.stdout).toMatch(/Execution 1 SUCCEEDED: target created; 2 rows added; [1-9]\d* bytes read/);
  expect(result.stdout).toMatch(/Execution 2 SUCCEEDED: target updated; 0 rows added; [1-9]\d* bytes read/);
  // AND the target's Parquet files hold one row per day
  const targetDir = path.join(dataDir, '.cdk-keep-data-up-to-date', 's3', 'analytics-data-lake', 'curated', 'daily_sales');
  expect(await parquetRows(targetDir)).toEqual([
    { orders: 2, total: '15.00', dt: '2026-01-01' },
    { orders: 1, total: '7.25', dt: '2026-01-02' },
  ]);
  // AND the command prints the target's rows, as the README shows them
  expect(result.stdout).toMatch(/\(2 rows\)\n {2}orders {2}total {2}dt\n {2}1 {7}7\.25 {3}2026-01-02\n {2}2 {7}15\.00 {2}2026-01-01\n?$/);
});

test('list says so when the assembly has no workflow', () => {
  const app = new App({ outdir: path.join(workDir, 'empty.out') });
  new Stack(app, 'Empty');
  app.synth();
  const result = run('list', path.join(workDir, 'empty.out'));
  expect(result.status).toBe(0);
  expect(result.stdout.trim()).toBe(`The cloud assembly ${path.join(workDir, 'empty.out')} has no KeepDataUpToDate workflow.`);
});

test('run reads CSV with a schema.json as it reads Parquet', () => {
  // GIVEN the same orders as CSV
  const csvDir = path.join(workDir, 'csv');
  writeCsvOrders(csvDir);

  // WHEN
  const result = run('run', assembly, '--data', csvDir, '--construct', 'Analytics/OrdersCurated', '--executions', '1');

  // THEN
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/sales\.orders \(csv, 3 rows\)/);
  expect(result.stdout).toMatch(/Execution 1 SUCCEEDED: target created; 3 rows added/);
  // AND, as its schema.json states no S3 location, says once that its reads were not checked
  expect(result.stdout.match(/Note: Reads of sales\.orders were not checked against the role's policies/g)).toHaveLength(1);
});

test('findWorkflows finds a workflow in a stage, by its construct path', () => {
  // GIVEN an app whose stack is in a stage (a nested cloud assembly)
  const app = new App({ outdir: path.join(workDir, 'staged.out') });
  const stack = new Stack(new Stage(app, 'Prod'), 'Analytics');
  new KeepDataUpToDate(stack, 'DailySales', {
    databaseName: 'sales',
    sourceTableNames: ['orders'],
    targetTableName: 'daily_sales',
    createTargetQuery: 'CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = \'{{targetLocation}}\') AS SELECT * FROM {{database}}.orders',
    updateTargetQuery: 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM {{database}}.orders',
  });

  // WHEN
  const workflows = findWorkflows(app.synth().directory);

  // THEN
  expect(workflows.map((workflow) => [workflow.constructPath, workflow.stackId, workflow.targetTableName])).toEqual([
    ['Prod/Analytics/DailySales', expect.stringMatching(/^ProdAnalytics/), 'daily_sales'],
  ]);
});

test('runLocally reads JSON lines with a schema.json, partitioned by key=value/ directories', async () => {
  // GIVEN the orders as JSON lines, one file per day in dt=…/ directories
  const jsonDir = path.join(workDir, 'json');
  for (const order of FIXTURE_ORDERS) {
    const dayDir = path.join(jsonDir, 'sales', 'orders', `dt=${order.dt}`);
    fs.mkdirSync(dayDir, { recursive: true });
    fs.appendFileSync(path.join(dayDir, 'orders.jsonl'), `${JSON.stringify({ order_id: order.order_id, customer: order.customer, amount: Number(order.amount) })}\n`);
  }
  fs.writeFileSync(path.join(jsonDir, 'sales', 'orders', 'schema.json'), JSON.stringify({
    columns: [{ name: 'order_id', type: 'string' }, { name: 'customer', type: 'string' }, { name: 'amount', type: 'decimal(10,2)' }],
    partitionKeys: [{ name: 'dt', type: 'string' }],
  }));

  // WHEN
  const result = await runLocally({ assembly, construct: 'Analytics/DailySales', data: jsonDir, executions: 1 });

  // THEN
  expect(result.sourceTables).toEqual([expect.objectContaining({ format: 'json', rows: 3, partitionKeys: [{ name: 'dt', type: 'string' }] })]);
  expect(result.executions.map((execution) => [execution.status, execution.createdTarget, execution.rowsAdded])).toEqual([['SUCCEEDED', true, 2]]);
  expect([...result.target.rows].sort((a, b) => a.dt!.localeCompare(b.dt!))).toEqual([
    { orders: '2', total: '15.00', dt: '2026-01-01' },
    { orders: '1', total: '7.25', dt: '2026-01-02' },
  ]);
});

test('runLocally counts the rows each execution adds, the later ones included', async () => {
  // GIVEN an update query without a watermark, which adds every day's totals again on each execution
  const appendAll = path.join(workDir, 'append-all.out');
  synthesizeAnalyticsApp(appendAll, {
    dailySalesUpdate: 'INSERT INTO {{database}}.{{targetTable}} SELECT count(*) AS orders, sum(amount) AS total, dt FROM {{database}}.{{sourceTable}} GROUP BY dt',
  });

  // WHEN
  const result = await runLocally({ assembly: appendAll, construct: 'Analytics/DailySales', data: dataDir, executions: 3 });

  // THEN the first execution's CTAS and INSERT add two days each, each later INSERT two more
  expect(result.executions.map((execution) => [execution.status, execution.rowsAdded])).toEqual([['SUCCEEDED', 4], ['SUCCEEDED', 2], ['SUCCEEDED', 2]]);
  expect(result.target.rows).toHaveLength(8);
});

test('runLocally refuses a definition that is not valid Amazon States Language, before any execution, with exit status 2', async () => {
  // GIVEN the assembly with a state whose Next names no state
  const broken = path.join(workDir, 'broken.out');
  fs.cpSync(assembly, broken, { recursive: true });
  const template = fs.readdirSync(broken).find((file) => file.endsWith('.template.json'))!;
  const text = fs.readFileSync(path.join(broken, template), 'utf8');
  expect(text).toContain('\\"Next\\":\\"Another Execution Running?\\"');
  fs.writeFileSync(path.join(broken, template), text.split('\\"Next\\":\\"Another Execution Running?\\"').join('\\"Next\\":\\"No Such State\\"'));
  const onEvent = jest.fn();

  // WHEN / THEN
  await expect(runLocally({ assembly: broken, construct: 'Analytics/DailySales', data: dataDir, onEvent }))
    .rejects.toThrow(/The state machine of Analytics\/DailySales is not valid Amazon States Language: .*Missing 'StartAt'\|'Next'\|'Default' target: No Such State/s);
  expect(onEvent).not.toHaveBeenCalled();
  const command = run('run', broken, '--data', dataDir, '--construct', 'Analytics/DailySales');
  expect(command.status).toBe(2);
  expect(command.stderr).toMatch(/is not valid Amazon States Language/);
  expect(command.stderr).not.toMatch(/\n\s+at /);
});

test('run exits 1 when a query fails, with Athena\'s reason', () => {
  // WHEN
  const result = run('run', failingAssembly, '--data', dataDir, '--construct', 'Analytics/DailySales');

  // THEN
  expect(result.status).toBe(1);
  expect(result.stdout).toMatch(/Execution 1 FAILED after \d+ ms in Update Target Table: States\.TaskFailed: .*price/);
  expect(result.stdout).not.toMatch(/Execution 2/);
});

describe('bad input gets a clear error, exit status 2 and no stack trace', () => {
  const expectUsageError = (result: ReturnType<typeof run>, message: RegExp) => {
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  };

  test('fails when there is no assembly', () => {
    expectUsageError(run('run', path.join(workDir, 'missing.out'), '--data', dataDir), /No cloud assembly at .*missing\.out: .*manifest\.json does not exist/);
  });

  test('fails when no workflow has the construct path, naming those that exist', () => {
    expectUsageError(
      run('run', assembly, '--data', dataDir, '--construct', 'Analytics/Nope'),
      /No KeepDataUpToDate workflow at construct path 'Analytics\/Nope'.*\n\s+Analytics\/DailySales\n\s+Analytics\/OrdersCurated/,
    );
  });

  test('fails when the assembly has two workflows and none is chosen', () => {
    expectUsageError(run('run', assembly, '--data', dataDir), /has 2 KeepDataUpToDate workflows; choose one with --construct/);
  });

  test('fails when the data directory has no source table', () => {
    const empty = fs.mkdtempSync(path.join(workDir, 'empty-'));
    expectUsageError(
      run('run', assembly, '--data', empty, '--construct', 'Analytics/DailySales'),
      /The data directory has no source table sales\.orders: expected .*sales\/orders\/ with Parquet files/,
    );
  });

  test('fails when schema.json does not match the files', () => {
    const csvDir = path.join(workDir, 'csv-mismatch');
    writeCsvOrders(csvDir, ['order_id', 'customer', 'price']);
    expectUsageError(
      run('run', assembly, '--data', csvDir, '--construct', 'Analytics/DailySales'),
      /schema\.json does not match the files of sales\.orders: the files have no column price; schema\.json has no column amount/,
    );
  });

  test('fails when a value in the files is not of its schema.json type', () => {
    const csvDir = path.join(workDir, 'csv-bad-value');
    writeCsvOrders(csvDir);
    const file = path.join(csvDir, 'sales', 'orders', 'orders.csv');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('10.50', 'ten'));
    expectUsageError(
      run('run', assembly, '--data', csvDir, '--construct', 'Analytics/DailySales'),
      /orders\.csv, row 1 \(line 2\), column amount: 'ten' is not a decimal\(10,2\) value as .*schema\.json declares it/,
    );
  });

  test('fails on an unknown option, pointing to --help', () => {
    expectUsageError(run('run', assembly, '--dta', dataDir), /Unknown option '--dta'[\s\S]*--help/);
  });

  test('fails when --executions is not a positive whole number', () => {
    expectUsageError(run('run', assembly, '--data', dataDir, '--executions', '0'), /--executions must be a whole number of at least 1 \(got '0'\)/);
  });
});

test('--work-dir and --keep continue from an earlier run, which loads exactly the new day; --input runs one execution per input', () => {
  // GIVEN CSV orders of two days, and a run that created the target in a work directory
  const data = path.join(workDir, 'kept-data');
  const work = path.join(workDir, 'kept-work');
  writeCsvOrders(data);
  const first = run('run', assembly, '--data', data, '--construct', 'Analytics/DailySales', '--work-dir', work, '--executions', '1');
  expect(first.stdout).toMatch(/Execution 1 SUCCEEDED: target created; 2 rows added/);

  // WHEN a day lands and the command continues from the work directory, with two inputs
  fs.writeFileSync(path.join(data, 'sales', 'orders', 'orders-2026-01-03.csv'), 'order_id,customer,amount,dt\no-4,c-2,3.00,2026-01-03\n');
  const second = run('run', assembly, '--data', data, '--construct', 'Analytics/DailySales', '--work-dir', work, '--keep', '--input', '[{"run": 1}, {"run": 2}]');

  // THEN the first execution loads the new day only, and the second nothing
  expect(second.stderr).toBe('');
  expect(second.status).toBe(0);
  expect(second.stdout).toMatch(/Execution 1 SUCCEEDED: target updated; 1 rows added/);
  expect(second.stdout).toMatch(/Execution 2 of 2[\s\S]*Execution 2 SUCCEEDED: target updated; 0 rows added/);
  expect(second.stdout).toContain(`Target files: ${path.relative(workDir, path.join(work, 's3', 'analytics-data-lake', 'curated', 'daily_sales'))} (3 rows)`);
});

test('--input must be a JSON object or an array of them', () => {
  const result = run('run', assembly, '--data', dataDir, '--construct', 'Analytics/DailySales', '--input', '[1]');
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/--input must be a JSON object, or an array with one object per execution/);
});

test('--help explains the commands, the data layout and the exit status', () => {
  const result = run('--help');
  expect(result.status).toBe(0);
  for (const text of ['run <cdk.out> --data <dir>', '--construct <path>', '--executions <n>', '--work-dir <dir>', '--keep', '--input <json>', 'schema.json', 'key=value/', 'Exit status']) {
    expect(result.stdout).toContain(text);
  }
});
