import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AnalyticsStack } from './local-example/analytics-stack';
import { loadSourceTables, LocalAws, stateMachineOf } from 'cdk-keep-data-up-to-date-local';

// Synthesizing the app and starting the local engine take a few seconds: more than jest's default 5 s.
test('SalesCurated creates sales_curated with every day, then adds only the new day', async () => {
  // GIVEN the workflow as synthesized, and raw_sales from the fixtures
  const machine = stateMachineOf(Template.fromStack(new AnalyticsStack(new App(), 'Analytics')).toJSON());
  const aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'sales-curated-')));
  try {
    await loadSourceTables(aws, path.join(__dirname, 'local-example', 'fixtures'), 'analytics', ['raw_sales']);

    // WHEN it runs, a new day arrives, and it runs again
    const first = await aws.startExecution(machine);
    await aws.athena.startQueryExecution({ QueryString: "INSERT INTO analytics.raw_sales VALUES ('s2', 3.00, '2026-01-03')" });
    const second = await aws.startExecution(machine);

    // THEN the first created the target and loaded both days; the second loaded only the new one
    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(first.statesEntered).toContain('Create Target Table');
    expect(second.statesEntered).not.toContain('Create Target Table');
    expect(second.output).toMatchObject({ watermark: { before: '2026-01-02', value: '2026-01-03' } });
    expect(await aws.query('SELECT store_id, CAST(amount AS varchar) AS amount, dt FROM analytics.sales_curated ORDER BY dt, store_id')).toEqual([
      { store_id: 's1', amount: '10.50', dt: '2026-01-01' },
      { store_id: 's2', amount: '4.50', dt: '2026-01-01' },
      { store_id: 's1', amount: '7.25', dt: '2026-01-02' },
      { store_id: 's2', amount: '3.00', dt: '2026-01-03' },
    ]);
  } finally {
    aws.close();
    fs.rmSync(aws.dataDir, { recursive: true, force: true });
  }
}, 60_000);
