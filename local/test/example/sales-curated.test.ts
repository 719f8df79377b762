import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { AnalyticsStack } from './analytics-stack';
import { runLocally } from 'cdk-keep-data-up-to-date-local';

// Synthesizing the app and the first local run take a few seconds: more than jest's default 5 s.
test('SalesCurated loads every day, then only the day that arrived since', async () => {
  // GIVEN the app as synthesized, and a copy of the fixtures that a new day can land in
  const app = new App();
  new AnalyticsStack(app, 'Analytics');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sales-curated-'));
  fs.cpSync(path.join(__dirname, 'fixtures'), data, { recursive: true });

  // WHEN it runs, a new day lands in raw_sales, and it runs again (the data is read at each execution)
  const run = await runLocally({
    assembly: app.synth().directory,
    construct: 'Analytics/SalesCurated',
    data,
    onExecution: (_execution, number) => {
      if (number === 1) fs.writeFileSync(path.join(data, 'analytics', 'raw_sales', 'raw_sales-2026-01-03.csv'), 'store_id,amount,dt\ns2,3.00,2026-01-03\n');
    },
  });

  // THEN the first created the target and loaded both days; the second loaded only the new one
  expect(run.executions.map(({ status, createdTarget, rowsAdded }) => ({ status, createdTarget, rowsAdded }))).toEqual([
    { status: 'SUCCEEDED', createdTarget: true, rowsAdded: 3 },
    { status: 'SUCCEEDED', createdTarget: false, rowsAdded: 1 },
  ]);
  expect(run.target.rows).toEqual(expect.arrayContaining([
    { store_id: 's1', amount: '10.50', dt: '2026-01-01' },
    { store_id: 's2', amount: '4.50', dt: '2026-01-01' },
    { store_id: 's1', amount: '7.25', dt: '2026-01-02' },
    { store_id: 's2', amount: '3.00', dt: '2026-01-03' },
  ]));
  expect(run.target.rows).toHaveLength(4);
}, 60_000);
