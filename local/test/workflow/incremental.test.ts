import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createExampleApp, EXAMPLE_TARGET } from '../../../demo/app';
import { addSourceOrders, addSourcePartitions, createSampleSource, days, SAMPLE_SOURCE } from '../../../demo/sample-data';
import { TargetQueries } from '../../../src';
import { ResolvedStateMachine, synthesizeStateMachine } from '../../assembly/definition';
import { queryReads } from '../../athena/api/query-reads';
import { LocalAws } from '../../local-aws';

const SOURCE = `${SAMPLE_SOURCE.databaseName}.${SAMPLE_SOURCE.tableName}`;
const TARGET = `${SAMPLE_SOURCE.databaseName}.${EXAMPLE_TARGET.tableName}`;
const COLUMNS = ['order_id', 'customer', 'amount', 'dt'];
const ALL_ROWS = (table: string) => `SELECT order_id, customer, amount, dt FROM ${table} ORDER BY dt, order_id`;
const KEY_COUNTS = `SELECT count(*) AS n, count(DISTINCT order_id) AS keys FROM ${TARGET}`;

const appendNewerRows = (maxPartitionsPerQuery?: number, lookbackPartitions?: number) => TargetQueries.appendNewerRows({
  sourceTableName: SAMPLE_SOURCE.tableName,
  watermarkColumn: 'dt',
  columns: COLUMNS,
  maxPartitionsPerQuery,
  lookbackPartitions,
});
const machineOf = (options: Parameters<typeof createExampleApp>[0]) => synthesizeStateMachine(createExampleApp(options).app);

let append: ResolvedStateMachine;
let appendInChunksOf3: ResolvedStateMachine;
let appendUnguarded: ResolvedStateMachine;
let merge: ResolvedStateMachine;
let appendWithLookback: ResolvedStateMachine;

beforeAll(() => {
  append = machineOf({ queries: appendNewerRows() });
  appendInChunksOf3 = machineOf({ queries: appendNewerRows(3) });
  appendUnguarded = machineOf({ queries: appendNewerRows(), singleWriter: false });
  appendWithLookback = machineOf({ queries: appendNewerRows(100, 1) });
  merge = machineOf({
    queries: TargetQueries.mergeNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: COLUMNS }),
  });
});

const environments: LocalAws[] = [];

/** A fresh data directory whose source holds `count` daily partitions from 2026-01-01. */
async function environment(count: number, ordersPerDay = 5): Promise<LocalAws> {
  const aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-up-to-date-incremental-')));
  environments.push(aws);
  await createSampleSource(aws, days('2026-01-01', count), ordersPerDay);
  return aws;
}

afterEach(() => {
  for (const aws of environments.splice(0)) {
    aws.close();
    fs.rmSync(aws.dataDir, { recursive: true, force: true });
  }
});

/** The source's Parquet files of one day, as absolute paths. */
function sourceFiles(aws: LocalAws, day: string): string[] {
  const directory = path.join(aws.s3.pathOf(`s3://${SAMPLE_SOURCE.bucketName}/${SAMPLE_SOURCE.prefix}`), `dt=${day}`);
  return fs.readdirSync(directory).filter((file) => file.endsWith('.parquet')).map((file) => path.join(directory, file)).sort();
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

test('an update reads only the new partition\'s file, and finding the watermark and the window reads no data file', async () => {
  // GIVEN a target loaded from ten days of source, 2000 orders a day
  const aws = await environment(10, 2000);
  const backfill = await aws.startExecution(append);
  expect(backfill.status).toBe('SUCCEEDED');
  expect(queryReads(aws.athena, append, backfill).find((query) => query.state === 'Update Target Table')?.dataFiles).toHaveLength(10);

  // WHEN one new day arrives and the workflow runs
  await addSourcePartitions(aws, ['2026-01-11'], 2000);
  const run = await aws.startExecution(append);

  // THEN, by the engine's file-system log and profile, the update read the data of that day's file only
  expect(run.status).toBe('SUCCEEDED');
  const reads = queryReads(aws.athena, append, run);
  expect(reads.map((query) => query.state)).toEqual(['Get Watermark', 'Find Next Window', 'Update Target Table', 'Find Next Window']);
  const update = reads.find((query) => query.state === 'Update Target Table')!;
  const newFiles = sourceFiles(aws, '2026-01-11');
  expect(update.dataFiles).toEqual(newFiles);
  expect(update.filesScanned).toBe(newFiles.length);
  // AND no more than 10% above that file's size in bytes, footers included (DuckDB also reads the
  // footer of one file to bind the query, which Athena takes from the catalog)
  expect(update.footerOnlyFiles.length).toBeLessThanOrEqual(1);
  const newBytes = newFiles.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  expect(update.bytesRead).toBeGreaterThan(0.9 * newBytes);
  expect(update.bytesRead).toBeLessThanOrEqual(1.1 * newBytes);
  // AND the watermark lookup and the window lookups read partition metadata only
  for (const query of reads.filter((read) => read.state !== 'Update Target Table')) {
    expect({ state: query.state, bytesRead: query.bytesRead, filesScanned: query.filesScanned })
      .toEqual({ state: query.state, bytesRead: 0, filesScanned: 0 });
  }
  expect(await aws.query(ALL_ROWS(TARGET))).toEqual(await aws.query(ALL_ROWS(SOURCE)));
});

test('a backfill in windows of 3 partitions creates the same target as one in a single window', async () => {
  // GIVEN two copies of a ten-day source
  const chunkedAws = await environment(10);
  const wholeAws = await environment(10);

  // WHEN one target is backfilled at most 3 partitions per query, the other at most 100
  const chunked = await chunkedAws.startExecution(appendInChunksOf3);
  const whole = await wholeAws.startExecution(append);

  // THEN both hold the same rows, which are the source's
  expect(chunked.status).toBe('SUCCEEDED');
  expect(whole.status).toBe('SUCCEEDED');
  const chunkedRows = await chunkedAws.query(ALL_ROWS(TARGET));
  expect(chunkedRows).toHaveLength(50);
  expect(chunkedRows).toEqual(await wholeAws.query(ALL_ROWS(TARGET)));
  expect(chunkedRows).toEqual(await chunkedAws.query(ALL_ROWS(SOURCE)));
  // AND the chunked execution ran ceil(10 / 3) updates, each reading at most 3 partitions
  expect(chunked.statesEntered.filter((state) => state === 'Update Target Table')).toHaveLength(Math.ceil(10 / 3));
  expect(whole.statesEntered.filter((state) => state === 'Update Target Table')).toHaveLength(1);
  expect(queryReads(chunkedAws.athena, appendInChunksOf3, chunked).filter((query) => query.state === 'Update Target Table').map((query) => query.dataFiles.length))
    .toEqual([3, 3, 3, 1]);
});

describe('two executions at once', () => {
  /** Delays the first update query, so that a second execution starts while the first is loading. */
  function slowFirstUpdate(aws: LocalAws): Promise<void> {
    const startQuery = aws.handlers['athena:startQueryExecution.sync'];
    let delayed = false;
    return new Promise((updating) => {
      aws.handlers['athena:startQueryExecution.sync'] = async (input, state) => {
        if (state.stateName === 'Update Target Table' && !delayed) {
          delayed = true;
          updating();
          await sleep(300);
        }
        return startQuery(input, state);
      };
    });
  }

  test('the second is skipped while the first runs, and the target has no duplicate rows', async () => {
    // GIVEN a first execution that is loading the target
    const aws = await environment(5);
    const updating = slowFirstUpdate(aws);
    const first = aws.startExecution(append);
    await updating;

    // WHEN a second execution starts
    const second = await aws.startExecution(append);

    // THEN it ends at once as skipped, and the first loads every row exactly once
    expect(second.status).toBe('SUCCEEDED');
    expect(second.statesEntered).toEqual(['List Running Executions', 'Another Execution Running?', 'Skip: Another Execution Is Running']);
    expect((await first).status).toBe('SUCCEEDED');
    expect(await aws.query(ALL_ROWS(TARGET))).toEqual(await aws.query(ALL_ROWS(SOURCE)));
    expect(await aws.query(KEY_COUNTS)).toEqual([{ n: '25', keys: '25' }]);
  });

  test('without the guard, the same overlap inserts every row twice', async () => {
    // GIVEN the workflow with singleWriter: false, and a first execution that is loading the target
    const aws = await environment(5);
    const updating = slowFirstUpdate(aws);
    const first = aws.startExecution(appendUnguarded);
    await updating;

    // WHEN a second execution starts
    const second = await aws.startExecution(appendUnguarded);

    // THEN both read the same watermark and load the same window
    expect(second.statesEntered).toContain('Update Target Table');
    expect((await first).status).toBe('SUCCEEDED');
    expect(await aws.query(KEY_COUNTS)).toEqual([{ n: '50', keys: '25' }]);
  });
});

describe('late rows', () => {
  const LATE = { orderId: 'o-2026-01-05-late', customer: 'customer-late', amount: 12.34, dt: '2026-01-05' };

  test('mergeNewerRows merges a row added late to the newest loaded partition and a changed row, without duplicate keys', async () => {
    // GIVEN a target merged from five days of source
    const aws = await environment(5);
    expect((await aws.startExecution(merge)).status).toBe('SUCCEEDED');
    expect(await aws.query(ALL_ROWS(TARGET))).toEqual(await aws.query(ALL_ROWS(SOURCE)));

    // WHEN a row arrives late in the newest loaded day, a new day arrives, and with it a new version of an order
    await addSourceOrders(aws, [LATE, { orderId: 'o-2026-01-05-000', customer: 'customer-changed', amount: 999.99, dt: '2026-01-06' }]);
    await addSourcePartitions(aws, ['2026-01-06']);
    const run = await aws.startExecution(merge);

    // THEN the run merged again from after the second-newest day (lookback 1)
    expect(run.status).toBe('SUCCEEDED');
    expect((run.output as { watermark: { before: string } }).watermark.before).toBe('2026-01-04');
    // AND the target is the source with one row per order, its newest version
    const newestPerOrder = `SELECT order_id, customer, amount, dt FROM (
      SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY dt DESC) AS version FROM ${SOURCE}
    ) WHERE version = 1 ORDER BY dt, order_id`;
    expect(await aws.query(ALL_ROWS(TARGET))).toEqual(await aws.query(newestPerOrder));
    expect(await aws.query(KEY_COUNTS)).toEqual([{ n: '31', keys: '31' }]);
    expect(await aws.query(`SELECT customer, amount, dt FROM ${TARGET} WHERE order_id IN ('o-2026-01-05-000', '${LATE.orderId}') ORDER BY order_id`)).toEqual([
      { customer: 'customer-changed', amount: '999.99', dt: '2026-01-06' },
      { customer: LATE.customer, amount: '12.34', dt: LATE.dt },
    ]);
  });

  test('appendNewerRows does not load a row added late to a loaded partition, and duplicates nothing', async () => {
    // GIVEN a target appended from five days of source
    const aws = await environment(5);
    expect((await aws.startExecution(append)).status).toBe('SUCCEEDED');

    // WHEN a row arrives late in the newest loaded day, and a new day arrives
    await addSourceOrders(aws, [LATE]);
    await addSourcePartitions(aws, ['2026-01-06']);
    const run = await aws.startExecution(append);

    // THEN the new day is loaded, the late row is not, and no row is there twice
    expect(run.status).toBe('SUCCEEDED');
    expect(await aws.query(ALL_ROWS(TARGET))).toEqual(
      await aws.query(`SELECT order_id, customer, amount, dt FROM ${SOURCE} WHERE order_id <> '${LATE.orderId}' ORDER BY dt, order_id`),
    );
    expect(await aws.query(KEY_COUNTS)).toEqual([{ n: '30', keys: '30' }]);
  });
});

describe('late rows in a Hive target with lookbackPartitions', () => {
  const LATE = { orderId: 'o-2026-01-05-late', customer: 'customer-late', amount: 12.34, dt: '2026-01-05' };

  test('the newest loaded partition is emptied and loaded again: the late row is in, nothing is twice', async () => {
    // GIVEN a target appended from five days of source
    const aws = await environment(5);
    expect((await aws.startExecution(appendWithLookback)).status).toBe('SUCCEEDED');
    const targetDay = (day: string) => path.join(aws.s3.pathOf(`s3://${SAMPLE_SOURCE.bucketName}/${EXAMPLE_TARGET.prefix}`), `dt=${day}`);
    const filesBefore = (day: string) => fs.readdirSync(targetDay(day)).sort();
    const day4Files = filesBefore('2026-01-04');
    const day5Files = filesBefore('2026-01-05');

    // WHEN a row arrives late in the newest loaded day, and a new day arrives
    await addSourceOrders(aws, [LATE]);
    await addSourcePartitions(aws, ['2026-01-06']);
    const run = await aws.startExecution(appendWithLookback);

    // THEN the run started after the second-newest day, emptied the newest one, and loaded it and the new day
    expect(run.status).toBe('SUCCEEDED');
    expect((run.output as { watermark: { before: string } }).watermark.before).toBe('2026-01-04');
    expect(run.statesEntered).toContain('Empty Partitions To Rewrite');
    expect(run.statesEntered).toContain('Delete Partition Objects');
    // AND the target equals the source, late row included, with no row twice
    expect(await aws.query(ALL_ROWS(TARGET))).toEqual(await aws.query(ALL_ROWS(SOURCE)));
    expect(await aws.query(KEY_COUNTS)).toEqual([{ n: '31', keys: '31' }]);
    // AND only the rewritten day's files were replaced
    expect(filesBefore('2026-01-04')).toEqual(day4Files);
    expect(filesBefore('2026-01-05').some((file) => day5Files.includes(file))).toBe(false);
  });

  test('an object S3 could not delete fails the execution before the partition is inserted again', async () => {
    // GIVEN a loaded target, a late row, and an S3 that fails to delete one key
    const aws = await environment(5);
    expect((await aws.startExecution(appendWithLookback)).status).toBe('SUCCEEDED');
    const rowsBefore = await aws.query(ALL_ROWS(TARGET));
    await addSourceOrders(aws, [LATE]);
    aws.handlers['aws-sdk:s3:deleteObjects'] = (input: { Delete: { Objects: Array<{ Key: string }> } }) => ({
      Errors: [{ Key: input.Delete.Objects[0].Key, Code: 'AccessDenied', Message: 'Access Denied' }],
    });

    // WHEN the workflow runs
    const run = await aws.startExecution(appendWithLookback);

    // THEN it fails, naming why, without running an update, and the target is as it was
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('KeepDataUpToDate.PartitionNotEmptied');
    expect(run.statesEntered).not.toContain('Update Target Table');
    expect(await aws.query(ALL_ROWS(TARGET))).toEqual(rowsBefore);
  });
});

test('a re-run with no new source data runs no update and reports that the target is up to date', async () => {
  // GIVEN a target loaded from the whole source
  const aws = await environment(5);
  expect((await aws.startExecution(append)).status).toBe('SUCCEEDED');
  const before = await aws.query(ALL_ROWS(TARGET));

  // WHEN the workflow runs again
  const rerun = await aws.startExecution(append);

  // THEN it finds no newer source value and ends without an update
  expect(rerun.status).toBe('SUCCEEDED');
  expect(rerun.statesEntered).not.toContain('Update Target Table');
  expect(rerun.statesEntered[rerun.statesEntered.length - 1]).toBe('Target Is Up To Date');
  expect(await aws.query(ALL_ROWS(TARGET))).toEqual(before);
});
