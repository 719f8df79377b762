import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createExampleApp, EXAMPLE_TARGET } from '../../../demo/app';
import { addSourcePartitions, createSampleSource, days, SAMPLE_SOURCE } from '../../../demo/sample-data';
import { TargetQueries } from '../../../src';
import { ResolvedStateMachine, synthesizeStateMachine } from '../../assembly/definition';
import { queryReads } from '../../athena/api/query-reads';
import { LocalAws } from '../../local-aws';

const SOURCE = `${SAMPLE_SOURCE.databaseName}.${SAMPLE_SOURCE.tableName}`;
const TARGET = `${SAMPLE_SOURCE.databaseName}.${EXAMPLE_TARGET.tableName}`;
const COLUMNS = ['order_id', 'customer', 'amount', 'dt'];
const ALL_ROWS = (table: string) => `SELECT order_id, customer, amount, dt FROM ${table} ORDER BY dt, order_id`;

let merge: ResolvedStateMachine;
let aws: LocalAws;

beforeAll(() => {
  merge = synthesizeStateMachine(createExampleApp({
    queries: TargetQueries.mergeNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: COLUMNS }),
  }).app);
});

beforeEach(async () => {
  aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-up-to-date-iceberg-watermark-')));
  await createSampleSource(aws, days('2026-01-01', 5), 200);
});

afterEach(() => {
  aws.close();
  fs.rmSync(aws.dataDir, { recursive: true, force: true });
});

describe("an Iceberg target's watermark is read from its $partitions", () => {
  test('the watermark lookup reads 0 data files, and the merge loads the new day', async () => {
    // GIVEN an Iceberg target merged from five days of source
    const backfill = await aws.startExecution(merge);
    expect(backfill.status).toBe('SUCCEEDED');

    // WHEN one new day arrives and the workflow runs
    await addSourcePartitions(aws, ['2026-01-06'], 200);
    const run = await aws.startExecution(merge);

    // THEN the watermark lookup (lookback 1: the value before the newest) and the window lookups
    // read no file at all
    expect(run.status).toBe('SUCCEEDED');
    const reads = queryReads(aws.athena, merge, run);
    expect(reads.map((query) => query.state)).toEqual(['Get Watermark', 'Find Next Window', 'Update Target Table', 'Find Next Window']);
    for (const query of reads.filter((read) => read.state !== 'Update Target Table')) {
      expect({ state: query.state, bytesRead: query.bytesRead, files: query.reads.length, filesScanned: query.filesScanned })
        .toEqual({ state: query.state, bytesRead: 0, files: 0, filesScanned: 0 });
    }
    // AND the window started after the target's second newest day, so the merge reloaded 2026-01-05
    const update = reads.find((query) => query.state === 'Update Target Table')!;
    const sourceDays = update.dataFiles.filter((file) => file.includes(`${SAMPLE_SOURCE.prefix}`)).map((file) => /dt=([0-9-]+)/.exec(file)?.[1]);
    expect([...new Set(sourceDays)].sort()).toEqual(['2026-01-05', '2026-01-06']);
    // AND the target holds every source row once
    expect(await aws.query(ALL_ROWS(TARGET))).toEqual(await aws.query(ALL_ROWS(SOURCE)));
  });

  test('$partitions lists each partition with live files, as a partition row', async () => {
    // GIVEN an Iceberg target merged from five days of source
    expect((await aws.startExecution(merge)).status).toBe('SUCCEEDED');

    // WHEN its $partitions is queried as Athena documents it
    const rows = await aws.query(`SELECT CAST("partition".dt AS varchar) AS dt, file_count FROM "sales"."${EXAMPLE_TARGET.tableName}$partitions" ORDER BY 1`);

    // THEN there is one row per day, each with its files
    expect(rows.map((row) => row.dt)).toEqual(days('2026-01-01', 5));
    for (const row of rows) expect(Number(row.file_count)).toBeGreaterThanOrEqual(1);
  });
});
