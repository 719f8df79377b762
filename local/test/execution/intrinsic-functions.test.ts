import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { createSampleSource, days, SAMPLE_SOURCE } from '../../../demo/sample-data';
import { KeepDataUpToDate, TargetQueries } from '../../../src';
import { synthesizeStateMachine } from '../../assembly/definition';
import { validate } from '../../execution/executor';
import { checkIntrinsic, evaluateIntrinsic } from '../../execution/intrinsic-functions';
import { LocalAws } from '../../local-aws';

/*
 * Intrinsic functions as the Amazon States Language specifies them (docs/athena-rules.md rule 12):
 * `'`, `{`, `}` and `\` are escaped with `\`; anything else in a quoted string, parentheses and
 * commas included, is text.
 */

const scope = { input: { watermark: "'2026-01-01'", n: 3, list: [1, 2], json: '{"a":[1]}' }, context: { Execution: { Id: 'x' } } };

describe('States.Format', () => {
  test.each([
    ['an unbalanced ) in a string', "States.Format('WHERE s <> \\'x)\\' AND dt > {}', $.watermark)", "WHERE s <> 'x)' AND dt > '2026-01-01'"],
    ['an unbalanced ( in a string', "States.Format('WHERE s <> \\'(x\\' AND dt > {}', $.watermark)", "WHERE s <> '(x' AND dt > '2026-01-01'"],
    ['a comma in a string', "States.Format('a, b, {}', $.n)", 'a, b, 3'],
    ['escaped braces', "States.Format('regexp_like(id, \\'^[a-z]\\{2\\}$\\') AND {}', $.n)", "regexp_like(id, '^[a-z]{2}$') AND 3"],
    ['an escaped backslash', "States.Format('regexp_like(id, \\'\\\\d\\{3\\}\\') AND dt > {}', $.watermark)", "regexp_like(id, '\\d{3}') AND dt > '2026-01-01'"],
    ["SQL's doubled quote", "States.Format('name = \\'O\\'\\'Brien\\' AND {}', $.n)", "name = 'O''Brien' AND 3"],
    ['a nested intrinsic', "States.Format('{} rows', States.ArrayLength($.list))", '2 rows'],
    ['a context path', "States.Format('{}', $$.Execution.Id)", 'x'],
  ])('%s', (_name, intrinsic, expected) => {
    expect(() => checkIntrinsic(intrinsic)).not.toThrow();
    expect(evaluateIntrinsic(intrinsic, scope, 'QueryString.$')).toBe(expected);
  });

  test('fails the state with States.Runtime, which no Catch matches, when the values do not match the {}', () => {
    const evaluation = () => evaluateIntrinsic("States.Format('{} and {}', $.n)", scope, 'QueryString.$');
    expect(evaluation).toThrow(/the template has 2 \{\} but 1 values follow it/);
    expect(() => evaluation()).toThrow(expect.objectContaining({ name: 'States.Runtime', isCatchable: false, isRetryable: false }));
  });

  test('fails the state with States.Runtime when a path selects nothing', () => {
    expect(() => evaluateIntrinsic("States.Format('{}', $.missing)", scope, 'QueryString.$')).toThrow(/The JSONPath '\$.missing' specified for the field 'QueryString.\$' could not be found/);
  });
});

test('States.StringToJson, States.ArrayLength and States.UUID', () => {
  expect(evaluateIntrinsic('States.StringToJson($.json)', scope, 'v.$')).toEqual({ a: [1] });
  expect(evaluateIntrinsic('States.ArrayLength($.list)', scope, 'v.$')).toBe(2);
  expect(evaluateIntrinsic('States.UUID()', scope, 'v.$')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(() => evaluateIntrinsic('States.ArrayLength($.n)', scope, 'v.$')).toThrow(/must be an array \(got number\)/);
});

test.each([
  ['an unescaped brace', "States.Format('a { b')", /\{ must be escaped as \\\{/],
  ['an unescaped backslash', "States.Format('\\d')", /a \\ must be escaped as \\\\/],
  ['an unterminated string', "States.Format('abc)", /missing ' at the end of a string/],
  ['a missing parenthesis', "States.Format('abc'", /missing \) at the end of States.Format/],
  ['the wrong number of arguments', 'States.UUID($.n)', /States.UUID takes exactly 0 arguments, not 1/],
  ['more than 10 nested functions', `${'States.Array('.repeat(11)}1${')'.repeat(11)}`, /more than 10 nested intrinsic functions/],
  ['a function the runner does not evaluate', 'States.Hash($.n, \'SHA-1\')', /the local runner does not evaluate States.Hash/],
])('refuses %s before running', (_name, intrinsic, error) => {
  expect(() => checkIntrinsic(intrinsic)).toThrow(error);
});

test('a definition with an invalid intrinsic function is not valid, and says which state', () => {
  const definition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2', Parameters: { 'Bucket.$': "States.Format('a{')" }, End: true } } };
  expect(() => validate(definition as any)).toThrow(/State 'T', Parameters: invalid intrinsic function/);
});

describe('a workflow whose update query holds every reserved character', () => {
  let aws: LocalAws;
  beforeEach(async () => {
    aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-intrinsics-')));
    await createSampleSource(aws, days('2026-01-01', 2), 2);
  });
  afterEach(() => {
    aws.close();
    fs.rmSync(aws.dataDir, { recursive: true, force: true });
  });

  test('runs, and Athena receives the user\'s SQL unchanged', async () => {
    // GIVEN a watermark update query (built with States.Format) with ( ) { } ' and \ in its literals
    const condition = "customer NOT IN ('x)', '(y', '{', '}', 'O''Brien') AND regexp_like(order_id, '^o-\\d{4}-')";
    const app = new App();
    const stack = new Stack(app, 'Intrinsics');
    const lake = s3.Bucket.fromBucketName(stack, 'Lake', SAMPLE_SOURCE.bucketName);
    new KeepDataUpToDate(stack, 'Copy', {
      databaseName: SAMPLE_SOURCE.databaseName,
      sourceTableNames: [SAMPLE_SOURCE.tableName],
      targetTableName: 'orders_copy',
      queries: TargetQueries.fromTemplates(
        "CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = '{{targetLocation}}', partitioned_by = ARRAY['dt']) AS SELECT order_id, dt FROM {{database}}.{{sourceTable}} WITH NO DATA",
        `INSERT INTO {{database}}.{{targetTable}} SELECT order_id, dt FROM {{database}}.{{sourceTable}} WHERE dt > {{watermark}} AND dt <= {{windowEnd}} AND ${condition}`,
        { column: 'dt' },
      ),
      sourceDataLocations: [{ bucket: lake, prefix: SAMPLE_SOURCE.prefix }],
      targetDataLocation: { bucket: lake, prefix: 'curated/orders_copy/' },
    });
    const machine = synthesizeStateMachine(app);
    const statements: string[] = [];
    const startQuery = aws.handlers['athena:startQueryExecution.sync'];
    aws.handlers['athena:startQueryExecution.sync'] = (input, state) => {
      if (state.stateName === 'Update Target Table') statements.push(input.QueryString);
      return startQuery(input, state);
    };

    // WHEN it runs
    const execution = await aws.startExecution(machine);

    // THEN it succeeds, and the statement is the user's, with the window's bounds filled in
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    expect(statements).toEqual([
      `INSERT INTO sales.orders_copy SELECT order_id, dt FROM sales.orders WHERE dt > '' AND dt <= '2026-01-02' AND ${condition}`,
    ]);
    expect(await aws.query('SELECT count(*) AS n FROM sales.orders_copy')).toEqual([{ n: '4' }]);
  });
});
