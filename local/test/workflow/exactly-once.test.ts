import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createExampleApp, EXAMPLE_TARGET } from '../../../demo/app';
import { addSourceOrders, addSourcePartitions, createSampleSource, days, SAMPLE_SOURCE } from '../../../demo/sample-data';
import { TargetQueries, TargetTableType, WatermarkOptions } from '../../../src';
import { CfnIntrinsics } from '../../assembly/cfn-intrinsics';
import { ResolvedStateMachine, stateMachineOf } from '../../assembly/definition';
import { LocalAlarm } from '../../cloudwatch/local-cloudwatch';
import { LocalAws } from '../../local-aws';

const SOURCE = `${SAMPLE_SOURCE.databaseName}.${SAMPLE_SOURCE.tableName}`;
const TARGET = `${SAMPLE_SOURCE.databaseName}.${EXAMPLE_TARGET.tableName}`;
const COLUMNS = ['order_id', 'customer', 'amount', 'dt'];
const ALL_ROWS = (table: string) => `SELECT order_id, customer, amount, dt FROM ${table} ORDER BY dt, order_id`;
/** The source with one row per order, its newest version: what a merge target must equal. */
const NEWEST_PER_ORDER = `SELECT order_id, customer, amount, dt FROM (
  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY dt DESC) AS version FROM ${SOURCE}
) WHERE version = 1 ORDER BY dt, order_id`;

/** A user's own Iceberg statements with a watermark: a MERGE on the order id. */
const ICEBERG_TEMPLATES = TargetQueries.fromTemplates(
  `CREATE TABLE {{database}}.{{targetTable}}
WITH (table_type = 'ICEBERG', is_external = false, location = '{{targetLocation}}', format = 'PARQUET', partitioning = ARRAY['dt'])
AS SELECT order_id, customer, amount, dt FROM {{database}}.{{sourceTable}} WITH NO DATA`,
  `MERGE INTO {{database}}.{{targetTable}} AS t
USING (
  SELECT order_id, customer, amount, dt FROM (
    SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY dt DESC) AS version
    FROM {{database}}.{{sourceTable}} WHERE dt > {{watermark}} AND dt <= {{windowEnd}}
  ) WHERE version = 1
) AS s
ON t.order_id = s.order_id
WHEN MATCHED THEN UPDATE SET customer = s.customer, amount = s.amount, dt = s.dt
WHEN NOT MATCHED THEN INSERT (order_id, customer, amount, dt) VALUES (s.order_id, s.customer, s.amount, s.dt)`,
  { column: 'dt', targetTableType: TargetTableType.ICEBERG, lookbackPartitions: 1 },
);

/** A user's own Hive statements with a watermark: an INSERT of each window. */
const HIVE_TEMPLATES = TargetQueries.fromTemplates(
  `CREATE TABLE {{database}}.{{targetTable}}
WITH (format = 'PARQUET', external_location = '{{targetLocation}}', partitioned_by = ARRAY['dt'])
AS SELECT order_id, customer, amount, dt FROM {{database}}.{{sourceTable}} WITH NO DATA`,
  `INSERT INTO {{database}}.{{targetTable}}
SELECT order_id, customer, amount, dt FROM {{database}}.{{sourceTable}}
WHERE dt > {{watermark}} AND dt <= {{windowEnd}}`,
  { column: 'dt' },
);

interface Strategy {
  readonly queries: TargetQueries;
  /** What the target must hold: every source row (append), or the newest version of each order (merge). */
  readonly expected: string;
}

const STRATEGIES: Record<string, Strategy> = {
  'appendNewerRows (Hive INSERT)': {
    queries: TargetQueries.appendNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, watermarkColumn: 'dt', columns: COLUMNS }),
    expected: ALL_ROWS(SOURCE),
  },
  'mergeNewerRows (Iceberg MERGE)': {
    queries: TargetQueries.mergeNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: COLUMNS }),
    expected: NEWEST_PER_ORDER,
  },
  'user templates with a watermark (Hive INSERT)': { queries: HIVE_TEMPLATES, expected: ALL_ROWS(SOURCE) },
  'user templates with a watermark (Iceberg MERGE)': { queries: ICEBERG_TEMPLATES, expected: NEWEST_PER_ORDER },
};

interface Synthesized {
  readonly machine: ResolvedStateMachine;
  readonly template: Record<string, any>;
}

function synthesize(queries: TargetQueries): Synthesized {
  const { app } = createExampleApp({ queries });
  const template = app.synth().stacks[0].template;
  return { machine: stateMachineOf(template), template };
}

const environments: LocalAws[] = [];

async function environment(count: number): Promise<LocalAws> {
  const aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-up-to-date-exactly-once-')));
  environments.push(aws);
  await createSampleSource(aws, days('2026-01-01', count));
  return aws;
}

afterEach(() => {
  for (const aws of environments.splice(0)) {
    aws.close();
    fs.rmSync(aws.dataDir, { recursive: true, force: true });
  }
});

/** Rows of the expected target missing from the target, and rows of the target beyond their count in the expected one. */
async function lostAndDuplicated(aws: LocalAws, expectedQuery: string): Promise<{ lost: number; duplicated: number }> {
  const key = (row: Record<string, unknown>) => JSON.stringify(row);
  const count = (rows: Array<Record<string, unknown>>) => rows.reduce(
    (counts, row) => counts.set(key(row), (counts.get(key(row)) ?? 0) + 1),
    new Map<string, number>(),
  );
  const expected = count(await aws.query(expectedQuery));
  const actual = count(await aws.query(ALL_ROWS(TARGET)));
  let lost = 0;
  let duplicated = 0;
  for (const [row, n] of expected) lost += Math.max(0, n - (actual.get(row) ?? 0));
  for (const [row, n] of actual) duplicated += Math.max(0, n - (expected.get(row) ?? 0));
  return { lost, duplicated };
}

/** Makes one state's query wait until `release` is called, and says when it has started. */
function holdQuery(aws: LocalAws, stateName: string): { started: Promise<void>; release: () => void } {
  const startQuery = aws.handlers['athena:startQueryExecution.sync'];
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  let held = false;
  const started = new Promise<void>((resolve) => {
    aws.handlers['athena:startQueryExecution.sync'] = async (input, state) => {
      if (state.stateName === stateName && !held) {
        held = true;
        resolve();
        await released;
      }
      return startQuery(input, state);
    };
  });
  return { started, release };
}

describe.each(Object.entries(STRATEGIES))('%s', (_name, { queries, expected }) => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize(queries);
  });

  test('a window that fails after writing part of its files, then a successful run: no row lost, none twice', async () => {
    // GIVEN a target loaded from five days, then two new days and a new version of an order
    const aws = await environment(5);
    expect((await aws.startExecution(synthesized.machine)).status).toBe('SUCCEEDED');
    await addSourcePartitions(aws, days('2026-01-06', 2));
    await addSourceOrders(aws, [{ orderId: 'o-2026-01-05-001', customer: 'customer-changed', amount: 1.5, dt: '2026-01-07' }]);

    // WHEN the window's write fails after it wrote part of its files
    aws.athena.failNextWrite({ match: (input) => /^\s*(MERGE|INSERT)\s/i.test(input.QueryString) });
    const failed = await aws.startExecution(synthesized.machine);
    expect(failed.status).toBe('FAILED');
    expect(JSON.parse(failed.cause!).QueryExecution.Status.StateChangeReason).toMatch(/GENERIC_INTERNAL_ERROR/);

    // AND the next execution succeeds
    const rerun = await aws.startExecution(synthesized.machine);

    // THEN the target is the source, one row per order: nothing lost, nothing twice
    expect(rerun.status).toBe('SUCCEEDED');
    expect(rerun.statesEntered).toContain('Take Over Lock');
    expect(await lostAndDuplicated(aws, expected)).toEqual({ lost: 0, duplicated: 0 });
  });

  test('an execution stopped in the middle of its write holds the lock only until it has ended; the next one loads everything once', async () => {
    // GIVEN five days of source
    const aws = await environment(5);

    // WHEN the first execution is stopped while its window's MERGE runs
    const stopped = await aws.startExecution(synthesized.machine, { stopDuring: 'Update Target Table' });
    expect(stopped.status).toBe('ABORTED');
    expect(aws.executions.all()[0].status).toBe('ABORTED');

    // THEN the next execution finds the lock's holder ended, takes the lock over and loads the source once
    const next = await aws.startExecution(synthesized.machine);
    expect(next.status).toBe('SUCCEEDED');
    expect(next.statesEntered.slice(0, 7)).toEqual([
      'List Running Executions', 'Another Execution Running?', 'Scheduled Start?', 'Acquire Lock', 'Read Lock', 'Lock Held?', 'Describe Lock Holder',
    ]);
    expect(next.statesEntered).toContain('Take Over Lock');
    expect(await lostAndDuplicated(aws, expected)).toEqual({ lost: 0, duplicated: 0 });
  });

  test('two executions started at the same instant, with a stale ListExecutions, never load together', async () => {
    // GIVEN a ListExecutions that does not list executions started in the last minute
    const aws = await environment(5);
    aws.executions.listingLagMillis = 60_000;
    const first = holdQuery(aws, 'Update Target Table');

    // WHEN two executions start at the same instant, and the first to take the lock is held in its update
    const executions = [aws.startExecution(synthesized.machine), aws.startExecution(synthesized.machine)];
    await first.started;
    // (the other has ended in the meantime: it did not wait for the lock)
    const other = await Promise.race(executions);
    first.release();
    const results = await Promise.all(executions);

    // THEN both passed the stale guard, exactly one loaded, and the other skipped at the lock
    expect(results.map((result) => result.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(results.every((result) => result.statesEntered.includes('Acquire Lock'))).toBe(true);
    expect(results.filter((result) => result.statesEntered.includes('Update Target Table'))).toHaveLength(1);
    expect(other.statesEntered.at(-1)).toBe('Skip: Another Execution Holds The Lock');
    expect(await lostAndDuplicated(aws, expected)).toEqual({ lost: 0, duplicated: 0 });
  });
});

describe('a scheduled start delivered twice', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize(STRATEGIES['mergeNewerRows (Iceberg MERGE)'].queries);
  });

  test('the second delivery is rejected, at once and after the first has ended; the next scheduled time loads', async () => {
    // GIVEN five days of source, and a ListExecutions too stale to show the other delivery
    const aws = await environment(5);
    aws.executions.listingLagMillis = 60_000;

    // WHEN EventBridge Scheduler delivers the same scheduled start twice at once
    const [first, second] = await aws.deliverScheduledStart(synthesized.machine, '2026-01-06T00:00:00Z', 2);

    // THEN one loads, and the other is rejected before it takes the lock
    expect(first.statesEntered).toContain('Update Target Table');
    expect(second.statesEntered.slice(-2)).toEqual(['Record Scheduled Start', 'Skip: Scheduled Start Already Delivered']);

    // WHEN the same scheduled start is delivered once more, after new data arrived
    await addSourcePartitions(aws, ['2026-01-06']);
    const [late] = await aws.deliverScheduledStart(synthesized.machine, '2026-01-06T00:00:00Z', 1);
    // THEN it is rejected too
    expect(late.statesEntered.at(-1)).toBe('Skip: Scheduled Start Already Delivered');

    // WHEN the next scheduled time comes
    const [next] = await aws.deliverScheduledStart(synthesized.machine, '2026-01-06T01:00:00Z', 1);
    // THEN it loads the new day, and the target has every order once
    expect(next.statesEntered).toContain('Update Target Table');
    expect(await lostAndDuplicated(aws, NEWEST_PER_ORDER)).toEqual({ lost: 0, duplicated: 0 });
  });
});

describe('the freshness alarm', () => {
  /** The freshness alarm of a template, resolved to what the local evaluator reads. */
  function freshnessAlarm(template: Record<string, any>): LocalAlarm {
    const alarms = Object.values<any>(template.Resources)
      .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm' && resource.Properties.MetricName === 'SourceValuesNotLoaded');
    expect(alarms).toHaveLength(1);
    return new CfnIntrinsics(template.Resources).resolve(alarms[0].Properties);
  }

  /** A watermark template whose update succeeds but loads nothing, as a wrong filter would. */
  const loadsNothing = (watermark: WatermarkOptions) => TargetQueries.fromTemplates(
    `CREATE TABLE {{database}}.{{targetTable}}
WITH (format = 'PARQUET', external_location = '{{targetLocation}}', partitioned_by = ARRAY['dt'])
AS SELECT order_id, customer, amount, dt FROM {{database}}.{{sourceTable}} WITH NO DATA`,
    `INSERT INTO {{database}}.{{targetTable}}
SELECT order_id, customer, amount, dt FROM {{database}}.{{sourceTable}}
WHERE dt > {{watermark}} AND dt <= {{windowEnd}} AND customer = 'nobody'`,
    watermark,
  );

  test('stays OK while each execution leaves no source value unloaded', async () => {
    const { machine, template } = synthesize(TargetQueries.appendNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, watermarkColumn: 'dt', columns: COLUMNS }));
    const alarm = freshnessAlarm(template);
    const aws = await environment(5);

    const run = await aws.startExecution(machine);

    expect(run.status).toBe('SUCCEEDED');
    expect(aws.cloudwatch.datapoints.map((point) => [point.namespace, point.metricName, point.dimensions, point.value]))
      .toEqual([['KeepDataUpToDate', 'SourceValuesNotLoaded', { StateMachineName: machine.name }, 0]]);
    expect(aws.cloudwatch.alarmState(alarm)).toBe('OK');
  });

  test('goes off when executions succeed but load nothing while the source has newer data', async () => {
    // GIVEN a workflow whose update loads nothing
    const { machine, template } = synthesize(loadsNothing({ column: 'dt' }));
    const alarm = freshnessAlarm(template);
    const aws = await environment(5);

    // WHEN it runs, and runs again after new data arrives
    const first = await aws.startExecution(machine);
    await addSourcePartitions(aws, ['2026-01-06']);
    const second = await aws.startExecution(machine);

    // THEN both succeed, each reports the source values the target lacks, and the alarm is in ALARM
    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(aws.cloudwatch.datapoints.map((point) => point.value)).toEqual([5, 6]);
    expect(aws.cloudwatch.alarmState(alarm)).toBe('ALARM');
  });

  test('goes off when no execution reported for longer than maxStaleness, and not before', async () => {
    const { machine, template } = synthesize(TargetQueries.appendNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, watermarkColumn: 'dt', columns: COLUMNS }));
    const alarm = freshnessAlarm(template);
    const aws = await environment(2);
    expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
    const reported = aws.cloudwatch.datapoints[0].timestamp;

    expect(alarm.Period).toBe(86_400);
    expect(aws.cloudwatch.alarmState(alarm, reported + 86_399_000)).toBe('OK');
    expect(aws.cloudwatch.alarmState(alarm, reported + 86_400_000)).toBe('ALARM');
  });
});

describe('the fault model', () => {
  /** The target's Parquet files that no registered partition names: what failed writes left. */
  function orphanedFiles(aws: LocalAws): string[] {
    const table = aws.catalog.getTable(SAMPLE_SOURCE.databaseName, EXAMPLE_TARGET.tableName)!;
    const root = aws.s3.pathOf(`s3://${SAMPLE_SOURCE.bucketName}/${EXAMPLE_TARGET.prefix}`);
    const registered = new Set((table.partitions ?? []).map((partition) => aws.s3.pathOf(partition.location)));
    return (fs.readdirSync(root, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.parquet'))
      .filter((file) => !registered.has(path.join(root, path.dirname(file)) + path.sep) && !registered.has(path.join(root, path.dirname(file))));
  }

  const append = TargetQueries.appendNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, watermarkColumn: 'dt', columns: COLUMNS });

  test('a failed Hive INSERT leaves part of its files, and without an execution location the rerun makes them visible: rows twice', async () => {
    // GIVEN the workflow without the lock and execution locations (singleWriter: false)
    const { app } = createExampleApp({ queries: append, singleWriter: false });
    const machine = stateMachineOf(app.synth().stacks[0].template);
    const aws = await environment(3);
    expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
    await addSourcePartitions(aws, days('2026-01-04', 4));

    // WHEN the window's INSERT fails after writing part of its files
    aws.athena.failNextWrite({ match: (input) => /^\s*INSERT\s/i.test(input.QueryString) });
    expect((await aws.startExecution(machine)).status).toBe('FAILED');

    // THEN its files stay, unregistered, and no query reads them yet
    expect(orphanedFiles(aws).length).toBeGreaterThan(0);
    expect(await lostAndDuplicated(aws, `${ALL_ROWS(SOURCE).replace(' ORDER BY', " WHERE dt <= '2026-01-03' ORDER BY")}`)).toEqual({ lost: 0, duplicated: 0 });

    // WHEN the next execution inserts the same window into the same partition directories
    expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
    // THEN the files the failed INSERT left are read beside the new ones (Athena's "orphaned files")
    const { lost, duplicated } = await lostAndDuplicated(aws, ALL_ROWS(SOURCE));
    expect(lost).toBe(0);
    expect(duplicated).toBeGreaterThan(0);
  });

  test('with the default workflow, the files a failed Hive INSERT left stay where no registered partition names them', async () => {
    const { machine } = synthesize(append);
    const aws = await environment(3);
    expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
    await addSourcePartitions(aws, days('2026-01-04', 4));
    aws.athena.failNextWrite({ match: (input) => /^\s*INSERT\s/i.test(input.QueryString) });
    expect((await aws.startExecution(machine)).status).toBe('FAILED');
    const orphaned = orphanedFiles(aws);

    const rerun = await aws.startExecution(machine);

    expect(rerun.statesEntered).toContain('Use Execution Location');
    expect(orphaned.length).toBeGreaterThan(0);
    expect(orphanedFiles(aws)).toEqual(orphaned);
    expect(aws.catalog.getTable(SAMPLE_SOURCE.databaseName, EXAMPLE_TARGET.tableName)!.location)
      .toMatch(new RegExp(`^s3://${SAMPLE_SOURCE.bucketName}/${EXAMPLE_TARGET.prefix}executions/[0-9a-f-]{36}/$`));
    expect(await lostAndDuplicated(aws, ALL_ROWS(SOURCE))).toEqual({ lost: 0, duplicated: 0 });
  });

  test('a failed Iceberg write leaves nothing the table reads', async () => {
    const { machine } = synthesize(STRATEGIES['mergeNewerRows (Iceberg MERGE)'].queries);
    const aws = await environment(3);
    expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
    const before = await aws.query(ALL_ROWS(TARGET));
    await addSourcePartitions(aws, days('2026-01-04', 2));

    aws.athena.failNextWrite();
    expect((await aws.startExecution(machine)).status).toBe('FAILED');

    expect(await aws.query(ALL_ROWS(TARGET))).toEqual(before);
  });
});
