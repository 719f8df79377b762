import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { AnalyticsStack } from './analytics-stack';
import { runLocally } from 'cdk-keep-data-up-to-date-local';

// Synthesizing the app and the first local run take a few seconds: more than jest's default 5 s.
test('DailySales creates the daily totals, then updates them', async () => {
  const app = new App();
  new AnalyticsStack(app, 'Analytics');

  const run = await runLocally({
    assembly: app.synth().directory,
    construct: 'Analytics/DailySales',
    data: path.join(__dirname, 'fixtures'),
  });

  expect(run.executions.map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  expect(run.executions[0].path).toContain('Create Target Table');
  expect(run.executions[1].path).not.toContain('Create Target Table');
  expect(run.target.rows).toHaveLength(2);
  expect(run.target.rows).toEqual(expect.arrayContaining([
    { orders: '2', total: '15.00', dt: '2026-01-01' },
    { orders: '1', total: '7.25', dt: '2026-01-02' },
  ]));
}, 60_000);
