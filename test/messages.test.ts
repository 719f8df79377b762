import { Annotations as CoreAnnotations, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { KeepDataUpToDate, KeepDataUpToDateProps, LakeFormationPermissions, TargetQueries } from '../src';
import { newStack, watermarkProps } from './util';

/*
 * What a user reads when something is wrong: synth-time errors that name the construct's path
 * and the prop they wrote, and warnings with ids they can acknowledge.
 */

const CREATE = "CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = '{{targetLocation}}', partitioned_by = ARRAY['dt']) AS SELECT order_id, dt FROM {{database}}.{{sourceTable}}";
const UPDATE = 'INSERT INTO {{database}}.{{targetTable}} SELECT order_id, dt FROM {{database}}.{{sourceTable}} WHERE dt > (SELECT max(dt) FROM {{database}}.{{targetTable}})';

/** A workflow with the two statements above and no watermark. */
function props(stack: Stack, overrides: Partial<KeepDataUpToDateProps> = {}): KeepDataUpToDateProps {
  return watermarkProps(stack, { queries: TargetQueries.fromTemplates(CREATE, UPDATE), ...overrides });
}

/** The same workflow through the deprecated statement props, whose errors name those props. */
function deprecatedProps(stack: Stack, overrides: Partial<KeepDataUpToDateProps> = {}): KeepDataUpToDateProps {
  return watermarkProps(stack, { queries: undefined, createTargetQuery: CREATE, updateTargetQuery: UPDATE, ...overrides });
}

describe('synth-time errors', () => {
  test('name the construct\'s path, so that with several instances the message says which one', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack));
    expect(() => new KeepDataUpToDate(stack, 'MonthlySales', props(stack, { targetTableName: 'Monthly-Sales' })))
      .toThrow("KeepDataUpToDate 'Stack/MonthlySales': targetTableName must be 1 to 255 lower-case letters, digits or underscores, as Glue and Athena require (got 'Monthly-Sales')");
  });

  test.each([
    ['resultsPrefix', { resultsPrefix: '/results' }, "KeepDataUpToDate 'Stack/DailySales': resultsPrefix must be an S3 key prefix"],
    ['a watermark option', { watermark: { column: 'dt', maxPartitionsPerQuery: 101 }, updateTargetQuery: 'INSERT INTO t SELECT 1 WHERE dt > {{watermark}} AND dt <= {{windowEnd}}' },
      "KeepDataUpToDate 'Stack/DailySales': watermark.maxPartitionsPerQuery must be a whole number from 1 to 100"],
    ['an unknown placeholder', { updateTargetQuery: 'INSERT INTO {{table}} SELECT 1' }, "KeepDataUpToDate 'Stack/DailySales': updateTargetQuery uses unknown placeholder {{table}}"],
  ])('name the prop, deprecated ones too: %s', (_what, overrides, message) => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', deprecatedProps(stack, overrides as Partial<KeepDataUpToDateProps>))).toThrow(message);
  });

  test.each([
    ['fromTemplates: a statement', TargetQueries.fromTemplates(CREATE, 'INSERT INTO {{nope}} SELECT 1'),
      "KeepDataUpToDate 'Stack/DailySales': queries (TargetQueries.fromTemplates: updateTargetQuery) uses unknown placeholder {{nope}}"],
    ['fromTemplates: a watermark option', TargetQueries.fromTemplates(CREATE, 'INSERT INTO t SELECT 1 WHERE dt > {{watermark}} AND dt <= {{windowEnd}}', { column: 'dt', lookbackPartitions: 1.5 }),
      "KeepDataUpToDate 'Stack/DailySales': queries (TargetQueries.fromTemplates: watermark.lookbackPartitions) must be a whole number of 0 or more (got 1.5)"],
    ['appendNewerRows: a source that is not a source table', TargetQueries.appendNewerRows({ sourceTableName: 'other', watermarkColumn: 'dt' }),
      "KeepDataUpToDate 'Stack/DailySales': queries (TargetQueries.appendNewerRows: sourceTableName) must be one of sourceTableNames (got 'other')"],
    ['mergeNewerRows: too many partitions per query', TargetQueries.mergeNewerRows({ sourceTableName: 'raw_sales', uniqueKey: ['id'], watermarkColumn: 'dt', columns: ['id', 'dt'], maxPartitionsPerQuery: 500 }),
      "KeepDataUpToDate 'Stack/DailySales': queries (TargetQueries.mergeNewerRows: maxPartitionsPerQuery) must be a whole number from 1 to 100, Athena's limit (got 500)"],
  ])('inside queries, name the option the user wrote: %s', (_what, queries, message) => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', props(stack, { queries })))
      .toThrow(message);
  });

  test('of LakeFormationPermissions name its path too', () => {
    const stack = newStack();
    const workflow = new KeepDataUpToDate(stack, 'DailySales', props(stack));
    expect(() => new LakeFormationPermissions(stack, 'Grants', {
      role: workflow.role, databaseName: 'analytics', sourceTableNames: ['raw_sales'], targetTableName: 'daily_sales', targetLocationRegistered: true,
    })).toThrow("LakeFormationPermissions 'Stack/Grants': targetLocationRegistered needs targetDataLocation");
  });
});

describe('synth-time warnings for unsafe combinations', () => {
  const warningsOf = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((warning) => String(warning.entry.data));

  test('the defaults warn of nothing', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)) }));
    expect(warningsOf(stack)).toEqual([]);
  });

  test('a schedule with singleWriter: false warns that overlapping executions insert rows twice, and the warning can be acknowledged', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), singleWriter: false }));
    Annotations.fromStack(stack).hasWarning('/Stack/DailySales',
      Match.stringLikeRegexp('^schedule starts executions by itself while singleWriter is false: .* inserted twice.*\\[ack: cdk-keep-data-up-to-date:scheduleWithoutGuard\\]$'));

    const acknowledged = newStack();
    const quiet = new KeepDataUpToDate(acknowledged, 'DailySales', props(acknowledged, { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), singleWriter: false }));
    CoreAnnotations.of(quiet).acknowledgeWarning('cdk-keep-data-up-to-date:scheduleWithoutGuard', 'each execution is idempotent');
    expect(warningsOf(acknowledged)).toEqual([]);
  });

  test('without a schedule, singleWriter: false warns of nothing', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, { singleWriter: false }));
    expect(warningsOf(stack)).toEqual([]);
  });

  test('a Hive CTAS with external_location in an existing workgroup warns that an enforcing workgroup refuses it', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, { workGroupName: 'analysts', resultsBucket: s3.Bucket.fromBucketName(stack, 'Results', 'my-results') }));
    Annotations.fromStack(stack).hasWarning('/Stack/DailySales',
      Match.stringLikeRegexp("^The create statement sets external_location, and Athena fails such a CTAS in a workgroup that enforces its result location.*workgroup 'analysts'"));
  });

  test('a lookback with a template that is not a MERGE names the option inside queries', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', props(stack, {
      queries: TargetQueries.fromTemplates(CREATE, 'INSERT INTO t SELECT 1 WHERE x > {{watermark}} AND x <= {{windowEnd}}', { column: 'x', isPartitionColumn: false, lookbackPartitions: 2 }),
    }));
    Annotations.fromStack(stack).hasWarning('/Stack/DailySales',
      Match.stringLikeRegexp('^queries \\(TargetQueries.fromTemplates: watermark.lookbackPartitions\\) loads the target\'s 2 newest partitions again'));
  });
});
