import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createExampleApp, CREATE_TARGET_QUERY, EXAMPLE_TARGET } from '../../demo/app';
import { addSourcePartitions, createSampleSource, days, SAMPLE_SOURCE } from '../../demo/sample-data';
import { ResolvedStateMachine, synthesizeStateMachine } from '../assembly/definition';
import { TaskHandler } from '../execution/task-handlers';
import { LocalAws } from '../local-aws';

const SOURCE = `${SAMPLE_SOURCE.databaseName}.${SAMPLE_SOURCE.tableName}`;
const TARGET = `${SAMPLE_SOURCE.databaseName}.${EXAMPLE_TARGET.tableName}`;
const ALL_ROWS = (table: string) => `SELECT order_id, customer, amount, dt FROM ${table} ORDER BY dt, order_id`;

let machine: ResolvedStateMachine;
let aws: LocalAws;
let dataDir: string;

beforeAll(() => {
  machine = synthesizeStateMachine(createExampleApp().app);
});

beforeEach(async () => {
  // GIVEN a fresh data directory with five days of source orders
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-up-to-date-'));
  aws = await LocalAws.create(dataDir);
  await createSampleSource(aws, days('2026-01-01', 5));
});

afterEach(() => {
  aws.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function targetFiles(): string[] {
  const directory = aws.s3.pathOf(`s3://${SAMPLE_SOURCE.bucketName}/${EXAMPLE_TARGET.prefix}`);
  return (fs.readdirSync(directory, { recursive: true }) as string[]).filter((file) => file.endsWith('.parquet')).sort();
}

test('the first run creates the target from the source, the second adds only the newer rows', async () => {
  // WHEN the workflow runs on a target that does not exist
  const first = await aws.startExecution(machine);

  // THEN it takes the create path and the target holds every source row
  expect(first.status).toBe('SUCCEEDED');
  expect(first.statesEntered).toEqual(['List Running Executions', 'Another Execution Running?', 'Get Target Table', 'Create Target Table', 'Update Target Table']);
  expect(await aws.query(ALL_ROWS(TARGET))).toEqual(await aws.query(ALL_ROWS(SOURCE)));
  expect(await aws.query(`SELECT count(*) AS n FROM ${TARGET}`)).toEqual([{ n: '25' }]);
  const filesAfterFirst = targetFiles();

  // WHEN two new days arrive and the workflow runs again
  await addSourcePartitions(aws, days('2026-01-06', 2));
  const second = await aws.startExecution(machine);

  // THEN it takes the update path, adds the new days' rows only, and the target equals the source row by row
  expect(second.status).toBe('SUCCEEDED');
  expect(second.statesEntered).toEqual(['List Running Executions', 'Another Execution Running?', 'Get Target Table', 'Update Target Table']);
  const target = await aws.query(ALL_ROWS(TARGET));
  expect(target).toHaveLength(35);
  expect(target).toEqual(await aws.query(ALL_ROWS(SOURCE)));
  expect(targetFiles().filter((file) => !filesAfterFirst.includes(file)).map((file) => path.dirname(file)))
    .toEqual(['dt=2026-01-06', 'dt=2026-01-07']);
  expect(targetFiles()).toEqual(expect.arrayContaining(filesAfterFirst));
});

test('a re-run with no new source data adds nothing', async () => {
  // GIVEN a target the workflow created and updated
  expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
  await addSourcePartitions(aws, days('2026-01-06', 1));
  expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
  const before = await aws.query(ALL_ROWS(TARGET));
  const filesBefore = targetFiles();

  // WHEN it runs again with no new source data
  const rerun = await aws.startExecution(machine);

  // THEN the update ran and added no row and no file: no duplicates
  expect(rerun.status).toBe('SUCCEEDED');
  expect(rerun.statesEntered).toContain('Update Target Table');
  expect(await aws.query(ALL_ROWS(TARGET))).toEqual(before);
  expect(await aws.query(`SELECT count(*) AS n, count(DISTINCT order_id) AS distinct_ids FROM ${TARGET}`)).toEqual([{ n: '30', distinct_ids: '30' }]);
  expect(targetFiles()).toEqual(filesBefore);
});

test('a failing update query fails the execution with the engine\'s error and leaves the target as it was', async () => {
  // GIVEN a target the workflow created, and a new source day
  expect((await aws.startExecution(machine)).status).toBe('SUCCEEDED');
  const before = await aws.query(ALL_ROWS(TARGET));
  const filesBefore = targetFiles();
  await addSourcePartitions(aws, days('2026-01-06', 2));

  // WHEN the update query fails in the engine while it writes (a cast that fails on the first customer)
  const failing = synthesizeStateMachine(createExampleApp({
    createTargetQuery: CREATE_TARGET_QUERY,
    updateTargetQuery: `INSERT INTO {{database}}.{{targetTable}}
SELECT order_id, CAST(CAST(customer AS integer) AS varchar), amount, dt FROM {{database}}.{{sourceTable}}
WHERE dt > (SELECT max(dt) FROM {{database}}.{{targetTable}})`,
  }).app);
  const result = await aws.startExecution(failing);

  // THEN the execution fails with Athena's .sync error, the engine's message in the cause
  expect(result.status).toBe('FAILED');
  expect(result.error).toBe('States.TaskFailed');
  const cause = JSON.parse(result.cause!);
  expect(cause.QueryExecution.Status.State).toBe('FAILED');
  expect(cause.QueryExecution.Status.StateChangeReason).toMatch(/INVALID_CAST_ARGUMENT: Cannot cast 'customer-\d+' to INT/);
  expect(result.statesEntered[result.statesEntered.length - 1]).toBe('Update Target Table');
  // AND the target is unchanged, down to its files
  expect(await aws.query(ALL_ROWS(TARGET))).toEqual(before);
  expect(targetFiles()).toEqual(filesBefore);
});

test('Athena throttling is retried by the state machine\'s own Retry, and the run succeeds', async () => {
  // GIVEN an Athena stand-in that throttles the first two calls, as Athena does at its concurrency quota
  const callsByState: Record<string, number> = {};
  const startQuery: TaskHandler = aws.handlers['athena:startQueryExecution.sync'];
  aws.handlers['athena:startQueryExecution.sync'] = (input, state) => {
    callsByState[state.stateName] = (callsByState[state.stateName] ?? 0) + 1;
    if (Object.values(callsByState).reduce((sum, n) => sum + n) <= 2) {
      const error = new Error('Rate exceeded (Service: Athena, Status Code: 400, Error Code: TooManyRequestsException)');
      error.name = 'Athena.TooManyRequestsException';
      throw error;
    }
    return startQuery(input, state);
  };

  // WHEN the workflow runs, with the Retry intervals shortened to 1 ms
  const result = await aws.startExecution(machine, { retryIntervalMillis: 1 });

  // THEN the create query was attempted three times, retried twice by its Retry, and the run succeeded
  expect(result.status).toBe('SUCCEEDED');
  expect(callsByState).toEqual({ 'Create Target Table': 3, 'Update Target Table': 1 });
  const retries = result.events.filter((event) => event.type === 'StateRetried');
  expect(retries.map((event) => [event.state.name, event.type === 'StateRetried' && event.retry.retrier.ErrorEquals])).toEqual([
    ['Create Target Table', expect.arrayContaining(['Athena.TooManyRequestsException'])],
    ['Create Target Table', expect.arrayContaining(['Athena.TooManyRequestsException'])],
  ]);
  expect(await aws.query(ALL_ROWS(TARGET))).toEqual(await aws.query(ALL_ROWS(SOURCE)));
});

test('without the Retry, the same throttling fails the run: the retrying is the state machine\'s', async () => {
  // GIVEN the definition with its Retry fields removed, and the same throttling stand-in
  const states = Object.fromEntries(Object.entries(machine.definition.States).map(([name, state]) => {
    const { Retry: _retry, ...rest } = state as typeof state & { Retry?: unknown };
    return [name, rest];
  }));
  const withoutRetry = { ...machine, definition: { ...machine.definition, States: states } as typeof machine.definition };
  let calls = 0;
  const startQuery = aws.handlers['athena:startQueryExecution.sync'];
  aws.handlers['athena:startQueryExecution.sync'] = (input, state) => {
    if (++calls <= 2) {
      const error = new Error('Rate exceeded');
      error.name = 'Athena.TooManyRequestsException';
      throw error;
    }
    return startQuery(input, state);
  };

  // WHEN it runs
  const result = await aws.startExecution(withoutRetry, { retryIntervalMillis: 1 });

  // THEN the first throttle fails it
  expect(result).toMatchObject({ status: 'FAILED', error: 'Athena.TooManyRequestsException' });
  expect(calls).toBe(1);
});

test('the construct retries the transient Athena and Glue errors with backoff', () => {
  const states = machine.definition.States as Record<string, any>;
  for (const name of ['Create Target Table', 'Update Target Table']) {
    expect(states[name].Retry).toEqual([expect.objectContaining({
      ErrorEquals: expect.arrayContaining(['Athena.TooManyRequestsException', 'Athena.InternalServerException']),
      BackoffRate: 2,
      JitterStrategy: 'FULL',
    })]);
  }
  expect(states['Get Target Table'].Retry).toEqual([expect.objectContaining({
    ErrorEquals: expect.arrayContaining(['Glue.ThrottlingException', 'Glue.InternalServiceException']),
    BackoffRate: 2,
  })]);
});
