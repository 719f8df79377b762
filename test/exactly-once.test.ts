import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { definitionOf, newStack, watermarkProps } from './util';
import { KeepDataUpToDate, TargetQueries } from '../src';

const STATE_MACHINE_NAME = 'Stack-DailySales-C48E7DF3';

const props = watermarkProps;

/** The statements of the workflow role's policy that name `action`. */
function statementsWith(template: Template, action: string): any[] {
  const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'));
  return policies.flatMap((policy) => [policy.Properties.PolicyDocument.Statement].flat())
    .filter((statement) => [statement.Action].flat().includes(action));
}

describe('with a watermark (by default)', () => {
  const stack = newStack();
  new KeepDataUpToDate(stack, 'DailySales', props(stack, { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)) }));
  const template = Template.fromStack(stack);
  const states = definitionOf(stack).States;
  const lockTable = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0];

  test('creates one lock table: on demand, its key the lock name, recoverable, retained by default (removalPolicy)', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'LockName', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'LockName', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('allows exactly UpdateItem and GetItem on the lock table, and DescribeExecution on this state machine\'s executions', () => {
    expect(statementsWith(template, 'dynamodb:UpdateItem')).toEqual([{
      Effect: 'Allow',
      Action: 'dynamodb:UpdateItem',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:eu-west-1:111122223333:table/', { Ref: lockTable }]] },
    }]);
    expect(statementsWith(template, 'dynamodb:GetItem')).toEqual([{
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:eu-west-1:111122223333:table/', { Ref: lockTable }]] },
    }]);
    expect(statementsWith(template, 'states:DescribeExecution')).toEqual([{
      Effect: 'Allow',
      Action: 'states:DescribeExecution',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:eu-west-1:111122223333:execution:${STATE_MACHINE_NAME}:?*`]] },
    }]);
    // Nothing may delete: the lock is released by being taken over, never by a DeleteItem.
    expect(statementsWith(template, 'dynamodb:DeleteItem')).toEqual([]);
    expect(statementsWith(template, 's3:DeleteObject')).toEqual([]);
  });

  test('allows PutMetricData only in the freshness metric\'s namespace', () => {
    expect(statementsWith(template, 'cloudwatch:PutMetricData')).toEqual([{
      Sid: 'PublishFreshnessMetric',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'KeepDataUpToDate' } },
    }]);
  });

  test('takes the lock after the guard: a conditional write, else the holder is read and described, and taken over only once it has ended', () => {
    expect(states['Another Execution Running?'].Default).toBe('Scheduled Start?');
    expect(states['Scheduled Start?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.scheduledTime', IsPresent: true, Next: 'Record Scheduled Start' }],
      Default: 'Acquire Lock',
    });
    expect(states['Record Scheduled Start']).toEqual(expect.objectContaining({
      Resource: 'arn:<Ref:AWS::Partition>:states:::dynamodb:updateItem',
      Parameters: {
        Key: { LockName: { S: 'schedule' } },
        TableName: `<Ref:${lockTable}>`,
        ConditionExpression: 'attribute_not_exists(ScheduledTime) OR ScheduledTime < :scheduled',
        ExpressionAttributeValues: { ':scheduled': { 'S.$': '$.scheduledTime' } },
        UpdateExpression: 'SET ScheduledTime = :scheduled',
      },
      Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: null, Next: 'Skip: Scheduled Start Already Delivered' }],
      Next: 'Acquire Lock',
    }));
    expect(states['Acquire Lock']).toEqual(expect.objectContaining({
      Parameters: {
        Key: { LockName: { S: 'load' } },
        TableName: `<Ref:${lockTable}>`,
        ConditionExpression: 'attribute_not_exists(Holder)',
        ExpressionAttributeValues: { ':me': { 'S.$': '$$.Execution.Id' }, ':started': { 'S.$': '$$.Execution.StartTime' } },
        UpdateExpression: 'SET Holder = :me, HolderStartTime = :started',
      },
      Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: null, Next: 'Read Lock' }],
      Next: 'Get Target Table',
    }));
    expect(states['Read Lock'].Parameters.ConsistentRead).toBe(true);
    expect(states['Lock Held?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.lock.Item.Holder.S', IsPresent: true, Next: 'Describe Lock Holder' }],
      Default: 'Acquire Lock',
    });
    expect(states['Describe Lock Holder'].Catch).toEqual([
      { ErrorEquals: ['Sfn.ExecutionDoesNotExistException'], ResultPath: null, Next: 'Skip: Another Execution Holds The Lock' },
    ]);
    expect(states['Lock Holder Running?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.lockHolder.status', StringEquals: 'RUNNING', Next: 'Skip: Another Execution Holds The Lock' }],
      Default: 'Take Over Lock',
    });
    expect(states['Take Over Lock'].Parameters.ConditionExpression).toBe('Holder = :ended');
    expect(states['Take Over Lock'].Parameters.ExpressionAttributeValues[':ended']).toEqual({ 'S.$': '$.lock.Item.Holder.S' });
    expect(states['Take Over Lock'].Next).toBe('Get Target Table');
  });

  test('points the Hive target at a location of the execution\'s own before the windows', () => {
    expect(states['Start After Newest Target Value'].Next).toBe('Use Execution Location');
    expect(states['Start From Initial Watermark'].Next).toBe('Use Execution Location');
    expect(states['Use Execution Location'].Parameters['QueryString.$']).toBe(
      "States.Format('ALTER TABLE analytics.daily_sales SET LOCATION \\'s3://my-lake/curated/executions/{}/\\'', States.UUID())",
    );
    expect(states['Use Execution Location'].Next).toBe('Find Next Window');
  });

  test('reports the lag from the window query, once no window is left, before the execution ends', () => {
    expect(states['Find Next Window'].Parameters['QueryString.$']).toContain(
      ', (SELECT count(*) FROM (SELECT "dt" FROM "analytics"."raw_sales$partitions" WHERE "dt" > (SELECT max("dt") FROM "analytics"."daily_sales$partitions") OR NOT EXISTS (SELECT 1 FROM "analytics"."daily_sales$partitions") GROUP BY "dt")) AS lag FROM',
    );
    expect(states['Read Next Window'].Next).toBe('Last Window Loaded?');
    expect(states['Last Window Loaded?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.windowResult.rows[1].Data[0].VarCharValue', IsPresent: true, Next: 'Newer Source Data?' }],
      Default: 'Publish Lag',
    });
    expect(states['Publish Lag']).toEqual(expect.objectContaining({
      Resource: 'arn:<Ref:AWS::Partition>:states:::aws-sdk:cloudwatch:putMetricData',
      Parameters: {
        Namespace: 'KeepDataUpToDate',
        MetricData: [{
          'MetricName': 'SourceValuesNotLoaded',
          'Dimensions': [{ Name: 'StateMachineName', Value: STATE_MACHINE_NAME }],
          'Value.$': 'States.StringToJson($.windowResult.rows[1].Data[2].VarCharValue)',
          'Unit': 'Count',
        }],
      },
      ResultPath: null,
      Next: 'Newer Source Data?',
    }));
  });

  test('creates the freshness alarm: the lowest lag over a day above 0, or no report, goes off', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KeepDataUpToDate',
      MetricName: 'SourceValuesNotLoaded',
      Dimensions: [{ Name: 'StateMachineName', Value: STATE_MACHINE_NAME }],
      Statistic: 'Minimum',
      Period: 86400,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('the schedule sends its scheduled time, so that a second delivery is rejected', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({ Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}' }),
    });
  });
});

test('maxStaleness sets the alarm\'s period', () => {
  const stack = newStack();
  new KeepDataUpToDate(stack, 'DailySales', props(stack, { maxStaleness: Duration.hours(6) }));
  Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'SourceValuesNotLoaded', Period: 21600 });
});

test('fails when maxStaleness is not a whole number of minutes from 1 minute to 7 days', () => {
  for (const maxStaleness of [Duration.seconds(90), Duration.days(8), Duration.seconds(30)]) {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', props(stack, { maxStaleness })))
      .toThrow(/maxStaleness must be a whole number of minutes from 1 minute to 7 days/);
  }
});

test('fails when maxStaleness is set without a watermark', () => {
  const stack = newStack();
  expect(() => new KeepDataUpToDate(stack, 'DailySales', props(stack, {
    queries: undefined,
    createTargetQuery: 'CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = \'{{targetLocation}}\') AS SELECT * FROM raw_sales',
    updateTargetQuery: 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM raw_sales',
    maxStaleness: Duration.hours(1),
  }))).toThrow(/maxStaleness sets the freshness alarm, which needs a watermark/);
});

test('without a watermark: no lock table, no freshness metric or alarm', () => {
  const stack = newStack();
  new KeepDataUpToDate(stack, 'DailySales', props(stack, {
    queries: undefined,
    createTargetQuery: 'CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = \'{{targetLocation}}\') AS SELECT * FROM raw_sales',
    updateTargetQuery: 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM raw_sales',
  }));
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::DynamoDB::Table', 0);
  template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
  expect(statementsWith(template, 'cloudwatch:PutMetricData')).toEqual([]);
});

test('with singleWriter: false, no lock and no execution location, but the freshness alarm', () => {
  const stack = newStack();
  new KeepDataUpToDate(stack, 'DailySales', props(stack, { singleWriter: false }));
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::DynamoDB::Table', 0);
  expect(Object.keys(definitionOf(stack).States)).not.toContain('Use Execution Location');
  template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
});

test('an Iceberg target (mergeNewerRows) takes the lock, but needs no execution location: its commits are atomic', () => {
  const stack = newStack();
  new KeepDataUpToDate(stack, 'DailySales', props(stack, {
    queries: TargetQueries.mergeNewerRows({ sourceTableName: 'raw_sales', uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'] }),
  }));
  const states = Object.keys(definitionOf(stack).States);
  expect(states).toContain('Acquire Lock');
  expect(states).not.toContain('Use Execution Location');
});
