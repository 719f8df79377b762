import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeBlocks, synthesizeExample } from '../../../test/readme-examples';
import { stateMachineOf } from '../../assembly/definition';
import { LocalAws } from '../../local-aws';

/*
 * The README's quick start, synthesized exactly as printed, runs on the local runner, which
 * applies Athena's documented rules (docs/athena-rules.md) to the workgroup it creates.
 */

let aws: LocalAws;

beforeEach(async () => {
  aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'readme-local-')));
  aws.catalog.createDatabase('analytics');
});

afterEach(() => {
  aws.close();
  fs.rmSync(aws.dataDir, { recursive: true, force: true });
});

const sales = (rows: Array<[string, string, string]>) => rows.map(([store, amount, dt]) => `('${store}', CAST('${amount}' AS decimal(10,2)), '${dt}')`).join(', ');

test('the quick start creates sales_curated, then adds the new day, under the rules of the workgroup it creates', async () => {
  // GIVEN the quick start's app, and its source table with a first day of sales
  const example = synthesizeExample(codeBlocks('ts')[0]);
  const machine = stateMachineOf(example.template('Analytics'));
  fs.rmSync(example.outdir, { recursive: true, force: true });
  expect(Object.values(machine.workGroups ?? {})).toEqual(expect.arrayContaining([expect.objectContaining({ enforceConfiguration: false })]));
  await aws.athena.startQueryExecution({
    QueryString: `CREATE TABLE analytics.raw_sales WITH (external_location = 's3://my-raw-data-bucket/sales/', partitioned_by = ARRAY['dt'])
      AS SELECT * FROM (VALUES ${sales([['s1', '10.00', '2026-01-01'], ['s1', '5.50', '2026-01-01'], ['s2', '7.00', '2026-01-01']])}) AS t(store_id, amount, dt)`,
  });

  // WHEN it runs, a second day arrives, and it runs again
  const first = await aws.startExecution(machine);
  await aws.athena.startQueryExecution({ QueryString: `INSERT INTO analytics.raw_sales VALUES ${sales([['s2', '1.25', '2026-01-02']])}` });
  const second = await aws.startExecution(machine);

  // THEN the first created the target and loaded the first day, the second only the new day
  expect(first.status).toBe('SUCCEEDED');
  expect(first.statesEntered).toContain('Create Target Table');
  expect(first.statesEntered.filter((state) => state === 'Update Target Table')).toHaveLength(1);
  expect(second.status).toBe('SUCCEEDED');
  expect(second.statesEntered).not.toContain('Create Target Table');
  expect((second.output as { watermark: { before: string; value: string } }).watermark).toMatchObject({ before: '2026-01-01', value: '2026-01-02' });
  const rows = 'SELECT store_id, CAST(amount AS varchar) AS amount, dt FROM analytics.{table} ORDER BY dt, store_id, amount';
  expect(await aws.query(rows.replace('{table}', 'sales_curated'))).toEqual(await aws.query(rows.replace('{table}', 'raw_sales')));
  expect(await aws.query('SELECT count(*) AS n FROM analytics.sales_curated')).toEqual([{ n: '4' }]);
});
