import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeAnalyticsApp, writeCsvOrders } from './analytics-app';
import { runLocally } from 'cdk-keep-data-up-to-date-local';

/*
 * runLocally's options for incremental tests: a fresh work directory per run by default, `keep`
 * to continue from one, the data directory read at each execution, and the execution input.
 */

let workDir: string;
let assembly: string;
beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-incremental-options-'));
  assembly = path.join(workDir, 'cdk.out');
  synthesizeAnalyticsApp(assembly);
});
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const DAILY_SALES = 'Analytics/DailySales';

/** A data directory with the three orders of 2026-01-01 and 2026-01-02. */
function dataDirectory(name: string): string {
  const data = path.join(workDir, name);
  writeCsvOrders(data);
  return data;
}

/** Lands a day of orders in the data directory, as a new file of the table. */
function addDay(data: string, day: string, amounts: string[]): void {
  const lines = ['order_id,customer,amount,dt', ...amounts.map((amount, i) => `o-${day}-${i},c-9,${amount},${day}`)];
  fs.writeFileSync(path.join(data, 'sales', 'orders', `orders-${day}.csv`), `${lines.join('\n')}\n`);
}

test('two runs in parallel on one data directory each get a work directory of their own', async () => {
  const data = dataDirectory('parallel');
  const runs = await Promise.all([1, 2].map(() => runLocally({ assembly, construct: DAILY_SALES, data })));
  expect(runs.flatMap((run) => run.executions.map((execution) => execution.status))).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  expect(runs[0].workDirectory).not.toBe(runs[1].workDirectory);
  expect(runs.map((run) => run.target.rows.length)).toEqual([2, 2]);
  expect(fs.existsSync(path.join(data, '.cdk-keep-data-up-to-date'))).toBe(false);
});

test('a partition added between executions is read by the next one, which loads exactly it', async () => {
  const data = dataDirectory('between-executions');
  const run = await runLocally({
    assembly,
    construct: DAILY_SALES,
    data,
    executions: 2,
    onExecution: (_execution, number) => {
      if (number === 1) addDay(data, '2026-01-03', ['1.25', '2.00']);
    },
  });
  expect(run.executions.map((execution) => [execution.createdTarget, execution.rowsAdded])).toEqual([[true, 2], [false, 1]]);
  expect(run.target.rows).toHaveLength(3);
  expect(run.target.rows).toEqual(expect.arrayContaining([{ orders: '2', total: '3.25', dt: '2026-01-03' }]));
  expect(run.sourceTables[0].rows).toBe(5);
});

test('keep continues from the work directory, across two synthesized versions of the app', async () => {
  const data = dataDirectory('kept');
  const workDirectory = path.join(workDir, 'kept-work');
  const first = await runLocally({ assembly, construct: DAILY_SALES, data, workDirectory, executions: 1 });
  expect(first.executions[0]).toMatchObject({ status: 'SUCCEEDED', createdTarget: true, rowsAdded: 2 });

  // A second version of the app, whose update query rounds nothing differently but is new text
  const assembly2 = path.join(workDir, 'cdk-v2.out');
  synthesizeAnalyticsApp(assembly2, {
    dailySalesUpdate: `INSERT INTO {{database}}.{{targetTable}}
SELECT count(*) AS orders, sum(amount) AS total, dt FROM {{database}}.{{sourceTable}}
WHERE dt > (SELECT max(dt) FROM {{database}}.{{targetTable}}) AND amount >= 0 GROUP BY dt`,
  });
  addDay(data, '2026-01-03', ['5.00']);
  const second = await runLocally({ assembly: assembly2, construct: DAILY_SALES, data, workDirectory, keep: true, executions: 1 });

  expect(second.executions[0]).toMatchObject({ status: 'SUCCEEDED', createdTarget: false, rowsAdded: 1 });
  expect(second.target.rows).toHaveLength(3);
  expect(second.target.rows).toEqual(expect.arrayContaining([{ orders: '1', total: '5.00', dt: '2026-01-03' }]));

  // WHEN run again without keep, the work directory starts afresh
  const third = await runLocally({ assembly, construct: DAILY_SALES, data, workDirectory, executions: 1 });
  expect(third.executions[0]).toMatchObject({ createdTarget: true, rowsAdded: 3 });
});

test('input is given to every execution, or one per execution', async () => {
  const data = dataDirectory('input');
  const inputs: unknown[] = [];
  const onEvent = (event: { type: string; input?: unknown }) => {
    if (event.type === 'ExecutionStarted') inputs.push(event.input);
  };
  await runLocally({ assembly, construct: DAILY_SALES, data, input: { note: 'all' }, executions: 2, onEvent });
  await runLocally({ assembly, construct: DAILY_SALES, data, input: [{ note: 'first' }, { note: 'second' }, { note: 'third' }], onEvent });
  expect(inputs).toEqual([{ note: 'all' }, { note: 'all' }, { note: 'first' }, { note: 'second' }, { note: 'third' }]);
});

test.each([
  ['keep without a work directory', { keep: true }, /keep continues from a work directory: name it with workDirectory/],
  ['fewer inputs than executions', { input: [{}], executions: 2 }, /input has 1 execution inputs for 2 executions/],
])('fails on %s', async (_name, options, error) => {
  await expect(runLocally({ assembly, construct: DAILY_SALES, data: dataDirectory('bad-options'), ...options })).rejects.toThrow(error);
});
