import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { createExampleApp, EXAMPLE_TARGET } from '../../../demo/app';
import { addSourcePartitions, createSampleSource, days, SAMPLE_SOURCE } from '../../../demo/sample-data';
import { TargetQueries } from '../../../src';
import { ResolvedStateMachine, synthesizeStateMachine } from '../../assembly/definition';
import { namedError } from '../../execution/task-handlers';
import { LocalAws } from '../../local-aws';

const ENABLE_STATES = ['Enable Compaction', 'Enable Orphan File Deletion', 'Enable Snapshot Retention'];

let merge: ResolvedStateMachine;
let aws: LocalAws;

beforeAll(() => {
  merge = synthesizeStateMachine(createExampleApp({
    queries: TargetQueries.mergeNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'customer', 'amount', 'dt'] }),
  }).app);
});

beforeEach(async () => {
  aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-up-to-date-maintenance-')));
  await createSampleSource(aws, days('2026-01-01', 3), 20);
});

afterEach(() => {
  aws.close();
  fs.rmSync(aws.dataDir, { recursive: true, force: true });
});

const optimizers = () => aws.tableOptimizers.list().map((optimizer) => `${optimizer.databaseName}.${optimizer.tableName}:${optimizer.type}`).sort();
const expected = ['compaction', 'orphan_file_deletion', 'retention'].map((type) => `${SAMPLE_SOURCE.databaseName}.${EXAMPLE_TARGET.tableName}:${type}`);

test('the first execution turns maintenance on after creating the target; later ones only check it', async () => {
  // WHEN the workflow runs twice, a day arriving in between
  const first = await aws.startExecution(merge);
  await addSourcePartitions(aws, ['2026-01-04'], 20);
  const second = await aws.startExecution(merge);

  // THEN the first created the target, then the three optimizers, once each
  expect(first.status).toBe('SUCCEEDED');
  const entered = first.statesEntered;
  expect(entered.indexOf('Get Maintenance')).toBeGreaterThan(entered.indexOf('Create Target Table'));
  expect(entered.filter((state) => ENABLE_STATES.includes(state))).toEqual(ENABLE_STATES);
  expect(optimizers()).toEqual(expected);
  // AND the second found them and enabled nothing
  expect(second.status).toBe('SUCCEEDED');
  expect(second.statesEntered).toContain('Get Maintenance');
  expect(second.statesEntered.filter((state) => ENABLE_STATES.includes(state))).toEqual([]);
  expect(optimizers()).toEqual(expected);
  // AND each optimizer runs as one role, the retention keeps 5 days, orphan-file deletion looks under the target only
  const byType = Object.fromEntries(aws.tableOptimizers.list().map((optimizer) => [optimizer.type, optimizer.configuration]));
  expect(new Set(Object.values(byType).map((configuration) => configuration.RoleArn)).size).toBe(1);
  expect(byType.retention.RetentionConfiguration.IcebergConfiguration.SnapshotRetentionPeriodInDays).toBe(5);
  expect(byType.orphan_file_deletion.OrphanFileDeletionConfiguration.IcebergConfiguration.Location).toBe(`s3://${SAMPLE_SOURCE.bucketName}/${EXAMPLE_TARGET.prefix}`);
});

test('an execution that failed halfway through enabling is finished by the next, past the optimizer that exists', async () => {
  // GIVEN Glue refuses the orphan-file deletion optimizer once (a permanent error, not retried)
  const create = aws.handlers['aws-sdk:glue:createTableOptimizer'];
  let refused = false;
  aws.handlers['aws-sdk:glue:createTableOptimizer'] = (input, state) => {
    if (input.Type === 'orphan_file_deletion' && !refused) {
      refused = true;
      throw namedError('Glue.AccessDeniedException', 'not allowed, this once');
    }
    return create(input, state);
  };

  // WHEN the workflow runs, fails, and runs again
  const failed = await aws.startExecution(merge);
  expect(failed.status).toBe('FAILED');
  expect(optimizers()).toEqual([expected[0]]);
  const next = await aws.startExecution(merge);

  // THEN the next execution went past the compaction optimizer that existed and created the other two
  expect(next.status).toBe('SUCCEEDED');
  expect(next.statesEntered.filter((state) => ENABLE_STATES.includes(state))).toEqual(ENABLE_STATES);
  expect(optimizers()).toEqual(expected);
  expect(await aws.query(`SELECT count(*) AS n FROM ${SAMPLE_SOURCE.databaseName}.${EXAMPLE_TARGET.tableName}`)).toEqual([{ n: '60' }]);
});

/** The merge workflow with another snapshotRetention, as after a deploy that changed the prop. */
function mergeWithRetention(retentionDays: number): ResolvedStateMachine {
  return synthesizeStateMachine(createExampleApp({
    queries: TargetQueries.mergeNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'customer', 'amount', 'dt'] }),
    snapshotRetention: Duration.days(retentionDays),
  }).app);
}

const retentionConfiguration = () => aws.tableOptimizers.list().find((optimizer) => optimizer.type === 'retention')!.configuration;

test('a changed snapshotRetention updates the existing retention optimizer on the next execution, and only then', async () => {
  // GIVEN a target whose optimizers the workflow enabled with the default 5 days
  expect((await aws.startExecution(merge)).status).toBe('SUCCEEDED');

  // WHEN the prop changes to 30 days and the workflow runs twice
  const changed = mergeWithRetention(30);
  const first = await aws.startExecution(changed);
  const second = await aws.startExecution(changed);

  // THEN the first updated the retention optimizer, keeping its role and Enabled flag
  expect(first.status).toBe('SUCCEEDED');
  expect(first.statesEntered).toContain('Update Snapshot Retention');
  expect(first.statesEntered.filter((state) => ENABLE_STATES.includes(state))).toEqual([]);
  expect(retentionConfiguration()).toMatchObject({
    Enabled: true,
    RetentionConfiguration: { IcebergConfiguration: { SnapshotRetentionPeriodInDays: 30 } },
  });
  expect(typeof retentionConfiguration().RoleArn).toBe('string');
  // AND the second found it current and changed nothing
  expect(second.status).toBe('SUCCEEDED');
  expect(second.statesEntered).toContain('Snapshot Retention Current?');
  expect(second.statesEntered).not.toContain('Update Snapshot Retention');
  expect(optimizers()).toEqual(expected);
});

test('a retention optimizer a user turned off stays off when its period is updated', async () => {
  // GIVEN the optimizers are on, then the user turns retention off (as with aws glue update-table-optimizer)
  expect((await aws.startExecution(merge)).status).toBe('SUCCEEDED');
  aws.tableOptimizers.update({
    CatalogId: '111111111111',
    DatabaseName: SAMPLE_SOURCE.databaseName,
    TableName: EXAMPLE_TARGET.tableName,
    Type: 'retention',
    TableOptimizerConfiguration: { ...retentionConfiguration(), Enabled: false },
  });

  // WHEN the prop changes and the workflow runs
  const execution = await aws.startExecution(mergeWithRetention(10));

  // THEN the period is the prop's, and the optimizer is still off
  expect(execution.status).toBe('SUCCEEDED');
  expect(execution.statesEntered).toContain('Update Snapshot Retention');
  expect(retentionConfiguration()).toMatchObject({
    Enabled: false,
    RetentionConfiguration: { IcebergConfiguration: { SnapshotRetentionPeriodInDays: 10 } },
  });
});

test('Glue\'s UpdateTableOptimizer of an optimizer that does not exist fails with EntityNotFoundException', () => {
  expect(() => aws.tableOptimizers.update({
    CatalogId: '111111111111', DatabaseName: SAMPLE_SOURCE.databaseName, TableName: EXAMPLE_TARGET.tableName, Type: 'retention', TableOptimizerConfiguration: {},
  })).toThrow(expect.objectContaining({ name: 'Glue.EntityNotFoundException' }));
});
