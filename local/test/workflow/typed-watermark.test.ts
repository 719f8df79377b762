import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { createSampleSource, days, SAMPLE_SOURCE } from '../../../demo/sample-data';
import { KeepDataUpToDateProps, KeepDataUpToDate, TargetQueries, TargetStorage, WatermarkColumnType } from '../../../src';
import { ResolvedStateMachine, synthesizeStateMachine } from '../../assembly/definition';
import { LocalAws } from '../../local-aws';

/*
 * Watermark columns of every type Athena compares them as: the workflow writes each window's
 * bounds as literals of the column's type, which the local runner type-checks as Trino does.
 */

const DATABASE = SAMPLE_SOURCE.databaseName;
let aws: LocalAws;

beforeEach(async () => {
  aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-typed-')));
  await createSampleSource(aws, days('2026-01-01', 5), 2);
  // Typed copies of the sample source, partitioned by a date and by an integer day number.
  await aws.athena.startQueryExecution({
    QueryString: `CREATE TABLE ${DATABASE}.orders_by_date WITH (external_location = 's3://${SAMPLE_SOURCE.bucketName}/typed/by_date/', partitioned_by = ARRAY['d'])
      AS SELECT order_id, amount, CAST(dt AS date) AS d FROM ${DATABASE}.orders`,
  });
  await aws.athena.startQueryExecution({
    QueryString: `CREATE TABLE ${DATABASE}.orders_by_number WITH (external_location = 's3://${SAMPLE_SOURCE.bucketName}/typed/by_number/', partitioned_by = ARRAY['n'])
      AS SELECT order_id, amount, CAST(replace(dt, '-', '') AS integer) AS n FROM ${DATABASE}.orders`,
  });
});

afterEach(() => {
  aws.close();
  fs.rmSync(aws.dataDir, { recursive: true, force: true });
});

/** The workflow of one KeepDataUpToDate over the local data lake, synthesized and resolved. */
function workflow(props: Pick<KeepDataUpToDateProps, 'sourceTableNames' | 'targetTableName' | 'queries'>): ResolvedStateMachine {
  const app = new App();
  const stack = new Stack(app, 'TypedWatermark');
  const lake = s3.Bucket.fromBucketName(stack, 'Lake', SAMPLE_SOURCE.bucketName);
  new KeepDataUpToDate(stack, 'Target', {
    databaseName: DATABASE,
    ...props,
    sourceDataLocations: [{ bucket: lake, prefix: 'typed/' }],
    target: TargetStorage.s3({ bucket: lake, prefix: `curated/${props.targetTableName}/` }),
  });
  return synthesizeStateMachine(app);
}

const rows = (table: string, column: string) => aws.query(`SELECT order_id, amount, CAST(${column} AS varchar) AS w FROM ${DATABASE}.${table} ORDER BY order_id`);
const updates = (statesEntered: string[]) => statesEntered.filter((state) => state === 'Update Target Table').length;

test.each([
  ['a date', 'orders_by_date', 'd', WatermarkColumnType.DATE, "DATE '2026-01-06'", "DATE '2026-01-07'"],
  ['an integer', 'orders_by_number', 'n', WatermarkColumnType.INTEGER, '20260106', '20260107'],
])('%s watermark column loads window by window, and then only the newer days', async (_kind, source, column, watermarkType, day6, day7) => {
  // GIVEN five days of source, and a workflow that loads at most two days per query
  const machine = workflow({
    sourceTableNames: [source],
    targetTableName: `${source}_copy`,
    queries: TargetQueries.appendNewerRows({ sourceTableName: source, watermarkColumn: column, watermarkType, columns: ['order_id', 'amount', column], maxPartitionsPerQuery: 2 }),
  });

  // WHEN it runs on an empty target
  const first = await aws.startExecution(machine);

  // THEN it loads the five days in three windows, and the target holds every source row
  expect(first.status).toBe('SUCCEEDED');
  expect(updates(first.statesEntered)).toBe(3);
  expect(await rows(`${source}_copy`, column)).toEqual(await rows(source, column));

  // WHEN two more days arrive and it runs again
  await aws.athena.startQueryExecution({
    QueryString: `INSERT INTO ${DATABASE}.${source} VALUES ('o-6', CAST('1.00' AS decimal(10,2)), ${day6}), ('o-7', CAST('2.00' AS decimal(10,2)), ${day7})`,
  });
  const second = await aws.startExecution(machine);

  // THEN one window after the target's newest value loads exactly those
  expect(second.status).toBe('SUCCEEDED');
  expect(second.statesEntered).not.toContain('Create Target Table');
  expect(updates(second.statesEntered)).toBe(1);
  expect(await rows(`${source}_copy`, column)).toEqual(await rows(source, column));
  expect(await aws.query(`SELECT count(*) AS n FROM ${DATABASE}.${source}_copy`)).toEqual([{ n: '12' }]);
});

test('a date column declared as a string watermark fails as Athena would: Trino compares no date with a varchar', async () => {
  const machine = workflow({
    sourceTableNames: ['orders_by_date'],
    targetTableName: 'orders_by_date_copy',
    queries: TargetQueries.appendNewerRows({ sourceTableName: 'orders_by_date', watermarkColumn: 'd', columns: ['order_id', 'amount', 'd'] }),
  });
  const run = await aws.startExecution(machine);
  expect(run.status).toBe('FAILED');
  expect(run.statesEntered[run.statesEntered.length - 1]).toBe('Find Next Window');
  expect(run.error).toBe('States.TaskFailed');
  expect(JSON.parse(run.cause!).QueryExecution.Status.StateChangeReason).toMatch(/Cannot apply operator: date > varchar\(0\)/);
});

describe('a source that uses partition projection', () => {
  beforeEach(() => {
    const table = aws.catalog.getTable(DATABASE, 'orders_by_date')!;
    aws.catalog.createTable({ ...table, name: 'projected', parameters: { 'projection.enabled': 'true', 'projection.d.type': 'date' } });
  });

  test('fails the execution before any query, saying why, when windows would come from $partitions', async () => {
    const machine = workflow({
      sourceTableNames: ['projected'],
      targetTableName: 'projected_copy',
      queries: TargetQueries.appendNewerRows({ sourceTableName: 'projected', watermarkColumn: 'd', watermarkType: WatermarkColumnType.DATE, columns: ['order_id', 'amount', 'd'] }),
    });
    const run = await aws.startExecution(machine);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('KeepDataUpToDate.PartitionProjectionSource');
    expect(run.cause).toMatch(/uses partition projection, so "\$partitions" lists none of its partitions.*Set watermark.isPartitionColumn to false/);
    expect(run.statesEntered).not.toContain('Get Watermark');
  });

  test('loads every row when the windows come from the column\'s values', async () => {
    const machine = workflow({
      sourceTableNames: ['projected'],
      targetTableName: 'projected_copy',
      queries: TargetQueries.fromTemplates(
        `CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = '{{targetLocation}}', partitioned_by = ARRAY['d'])
          AS SELECT order_id, amount, d FROM {{database}}.{{sourceTable}} WITH NO DATA`,
        'INSERT INTO {{database}}.{{targetTable}} SELECT order_id, amount, d FROM {{database}}.{{sourceTable}} WHERE d > {{watermark}} AND d <= {{windowEnd}}',
        { column: 'd', columnType: WatermarkColumnType.DATE, isPartitionColumn: false },
      ),
    });
    const run = await aws.startExecution(machine);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).not.toContain('Get Source Table');
    expect(await rows('projected_copy', 'd')).toEqual(await rows('projected', 'd'));
  });
});

test('a MERGE gets its bounds as literals: a value with quotes cannot change the statement', async () => {
  // GIVEN a source whose watermark values hold quotes, one of them shaped to widen a WHERE clause
  const labels = ["a'1", "b' OR 'x'='x", "c''3"];
  await aws.athena.startQueryExecution({
    QueryString: `CREATE TABLE ${DATABASE}.labelled WITH (external_location = 's3://${SAMPLE_SOURCE.bucketName}/typed/labelled/')
      AS SELECT * FROM (VALUES ${labels.map((label, i) => `('k${i}', '${label.replace(/'/g, "''")}')`).join(', ')}) AS t(id, label)`,
  });
  const machine = workflow({
    sourceTableNames: ['labelled'],
    targetTableName: 'labelled_copy',
    queries: TargetQueries.fromTemplates(
      `CREATE TABLE {{database}}.{{targetTable}} WITH (table_type = 'ICEBERG', is_external = false, location = '{{targetLocation}}')
        AS SELECT id, label FROM {{database}}.{{sourceTable}} WITH NO DATA`,
      `MERGE INTO {{database}}.{{targetTable}} AS t USING (
        SELECT id, label FROM {{database}}.{{sourceTable}} WHERE label > {{watermark}} AND label <= {{windowEnd}}
      ) AS s ON t.id = s.id
      WHEN MATCHED THEN UPDATE SET label = s.label
      WHEN NOT MATCHED THEN INSERT (id, label) VALUES (s.id, s.label)`,
      { column: 'label', isPartitionColumn: false, targetTableType: undefined, maxPartitionsPerQuery: 1 },
    ),
  });

  // WHEN the workflow loads it one value per window
  const run = await aws.startExecution(machine);

  // THEN each window merged exactly its own row, quotes and all
  expect(run.status).toBe('SUCCEEDED');
  expect(updates(run.statesEntered)).toBe(3);
  expect(await aws.query(`SELECT id, label FROM ${DATABASE}.labelled_copy ORDER BY id`))
    .toEqual(labels.map((label, i) => ({ id: `k${i}`, label })));
  expect((run.output as { watermark: { value: string } }).watermark.value).toBe("c''3");
});
