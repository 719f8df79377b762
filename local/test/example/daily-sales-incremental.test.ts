import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { AnalyticsStack } from './analytics-stack';
import { runLocally } from 'cdk-keep-data-up-to-date-local';

test('DailySales loads exactly the day that arrived since its last execution', async () => {
  const app = new App();
  new AnalyticsStack(app, 'Analytics');
  const assembly = app.synth().directory;
  // A copy of the fixtures to add a day to, and a work directory the second run continues from.
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'daily-sales-data-'));
  fs.cpSync(path.join(__dirname, 'fixtures', 'sales'), path.join(data, 'sales'), { recursive: true });
  const workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'daily-sales-work-'));

  const first = await runLocally({ assembly, construct: 'Analytics/DailySales', data, workDirectory, executions: 1 });
  expect(first.executions[0]).toMatchObject({ status: 'SUCCEEDED', createdTarget: true, rowsAdded: 2 });

  // The next day's orders land in the source table.
  fs.writeFileSync(path.join(data, 'sales', 'orders', 'orders-2026-01-03.csv'),
    'order_id,customer,amount,dt\no-4,c-2,3.00,2026-01-03\no-5,c-3,2.50,2026-01-03\n');
  const second = await runLocally({ assembly, construct: 'Analytics/DailySales', data, workDirectory, keep: true, executions: 1 });

  expect(second.executions[0]).toMatchObject({ status: 'SUCCEEDED', createdTarget: false, rowsAdded: 1 });
  expect(second.target.rows).toHaveLength(3);
  expect(second.target.rows).toEqual(expect.arrayContaining([
    { orders: '2', total: '15.00', dt: '2026-01-01' },
    { orders: '1', total: '7.25', dt: '2026-01-02' },
    { orders: '2', total: '5.50', dt: '2026-01-03' },
  ]));
}, 60_000);
