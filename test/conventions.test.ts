import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { KeepDataUpToDate, KeepDataUpToDateProps, TargetQueries } from '../src';
import { addS3TablesInstance } from './fixtures';
import { newStack, watermarkProps } from './util';

/*
 * The conventions of aws-cdk-lib constructs: metric methods, grants, a grant method that can be
 * called twice, and a removal policy for what holds data.
 */

describe('metrics', () => {
  // GIVEN
  const stack = newStack();
  const construct = new KeepDataUpToDate(stack, 'DailySales', watermarkProps(stack, { maxStaleness: Duration.hours(6) }));
  const arn = stack.resolve(construct.stateMachine.stateMachineArn);

  test('metricSourceValuesNotLoaded is the freshness metric the alarm watches: its lowest value over maxStaleness', () => {
    const metric = construct.metricSourceValuesNotLoaded();
    expect(metric.namespace).toBe('KeepDataUpToDate');
    expect(metric.dimensions).toEqual({ StateMachineName: Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine')[stack.getLogicalId(construct.stateMachine.node.defaultChild as sfn.CfnStateMachine)].Properties.StateMachineName });
    expect(metric.statistic).toBe('Minimum');
    expect(metric.period.toMinutes()).toBe(360);
    expect(construct.metricSourceValuesNotLoaded({ period: Duration.hours(1) }).period.toMinutes()).toBe(60);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metric.metricName,
      Namespace: metric.namespace,
      Statistic: 'Minimum',
      Period: 21600,
    });
  });

  test.each([
    ['metricTimedOut', 'ExecutionsTimedOut', 'Sum'],
    ['metricAborted', 'ExecutionsAborted', 'Sum'],
    ['metricTime', 'ExecutionTime', 'Average'],
    ['metricFailed', 'ExecutionsFailed', 'Sum'],
    ['metricSucceeded', 'ExecutionsSucceeded', 'Sum'],
  ] as const)('%s is Step Functions\' %s of this state machine', (method, metricName, statistic) => {
    const metric = construct[method]();
    expect({ namespace: metric.namespace, metricName: metric.metricName, statistic: metric.statistic, dimensions: stack.resolve(metric.dimensions) })
      .toEqual({ namespace: 'AWS/States', metricName, statistic, dimensions: { StateMachineArn: arn } });
  });

  test('metricSourceValuesNotLoaded fails without a watermark, which alone publishes the metric', () => {
    const other = newStack();
    const unwatermarked = new KeepDataUpToDate(other, 'Copy', watermarkProps(other, {
      queries: TargetQueries.fromTemplates("CREATE TABLE t WITH (external_location = '{{targetLocation}}') AS SELECT * FROM s", 'INSERT INTO t SELECT * FROM s'),
    }));
    expect(() => unwatermarked.metricSourceValuesNotLoaded())
      .toThrow(/^KeepDataUpToDate 'Stack\/Copy': metricSourceValuesNotLoaded reads the freshness metric, which only a workflow with a watermark publishes.*\(cdk-keep-data-up-to-date:NoWatermark\)$/);
  });
});

describe('grantReadTargetTable', () => {
  const statementsOf = (stack: Stack, role: iam.Role) => {
    const policy = role.node.findChild('DefaultPolicy') as iam.Policy;
    return stack.resolve(policy.document).Statement;
  };

  test('a target in S3: Glue reads of its database and table, and the objects under its prefix, nothing to write', () => {
    // GIVEN
    const stack = newStack();
    const lake = s3.Bucket.fromBucketName(stack, 'Lake', 'my-lake');
    const construct = new KeepDataUpToDate(stack, 'DailySales', watermarkProps(stack));
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN
    construct.grantReadTargetTable(reader);
    // THEN
    const glue = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:glue:eu-west-1:111122223333:${resource}`]] });
    const bucket = stack.resolve(lake.bucketArn);
    expect(statementsOf(stack, reader)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'], Resource: [bucket, stack.resolve(lake.arnForObjects('curated/*'))] },
      { Effect: 'Allow', Action: 'glue:GetDatabase', Resource: [glue('catalog'), glue('database/analytics')] },
      {
        Effect: 'Allow',
        Action: ['glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
        Resource: [glue('catalog'), glue('database/analytics'), glue('table/analytics/daily_sales')],
      },
    ]);
  });

  test('an S3 table: the S3 Tables reads held to the table by conditions, and its catalog entry', () => {
    // GIVEN
    const stack = newStack();
    const construct = addS3TablesInstance(stack);
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN
    construct.grantReadTargetTable(reader);
    // THEN
    const statements = statementsOf(stack, reader);
    expect(statements[0]).toEqual({
      Effect: 'Allow',
      Action: ['s3tables:GetTable', 's3tables:GetTableMetadataLocation', 's3tables:GetTableData'],
      Resource: 'arn:aws:s3tables:eu-west-1:111122223333:bucket/analytics-tables/table/*',
      Condition: { StringEquals: { 's3tables:namespace': 'sales', 's3tables:tableName': 'orders_latest' } },
    });
    expect(statements[1].Action).toEqual(['glue:GetCatalog', 'glue:GetDatabase', 'glue:GetTable']);
    expect(JSON.stringify(statements)).not.toMatch(/Put|Update|Create|Delete/);
  });
});

describe('grantLakeFormationPermissions called twice', () => {
  test('returns the first grants, adds only what the second call asks for, and withdraws the warning it answers', () => {
    // GIVEN a maintained Iceberg target, whose first call warns that the maintenance role needs the table grant
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'Orders', watermarkProps(stack, {
      queries: TargetQueries.mergeNewerRows({ sourceTableName: 'raw_sales', uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'] }),
    }));
    const first = construct.grantLakeFormationPermissions();
    expect(first.principalPermissions).toHaveLength(2);
    // WHEN
    const second = construct.grantLakeFormationPermissions({ targetTableExists: true });
    const third = construct.grantLakeFormationPermissions({ targetTableExists: true });
    // THEN
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(first.principalPermissions.map((grant) => grant.node.id)).toEqual(['Database', 'SourceTable-raw_sales', 'TargetTable', 'MaintenanceTargetTable']);
    Template.fromStack(stack).resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 4);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('maintenanceRole gets its Lake Formation permissions'));
  });

  test('keeps the warning while no call says the table exists', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'Orders', watermarkProps(stack, {
      queries: TargetQueries.mergeNewerRows({ sourceTableName: 'raw_sales', uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'] }),
    }));
    construct.grantLakeFormationPermissions();
    construct.grantLakeFormationPermissions();
    Annotations.fromStack(stack).hasWarning('/Stack/Orders/LakeFormationPermissions', Match.stringLikeRegexp('maintenanceRole gets its Lake Formation permissions'));
    Template.fromStack(stack).resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 2);
  });
});

describe('removalPolicy', () => {
  const DATA = ['AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::DynamoDB::Table'];
  const policiesOf = (stack: Stack) => DATA.flatMap((type) => Object.values(Template.fromStack(stack).findResources(type))
    .map((resource) => `${type} ${resource.DeletionPolicy}/${resource.UpdateReplacePolicy}`));
  /** A workflow in a new bucket (unless `overrides` set `target`), in an app with `context`. */
  const withWatermark = (
    context: Record<string, unknown>,
    removalPolicy?: RemovalPolicy,
    overrides: Partial<KeepDataUpToDateProps> = { target: undefined },
  ) => {
    const stack = new Stack(new App({ context }), 'Stack', { env: { account: '111122223333', region: 'eu-west-1' } });
    new KeepDataUpToDate(stack, 'DailySales', watermarkProps(stack, { removalPolicy, ...overrides }));
    return stack;
  };

  test('retains the buckets, the log group and the lock table by default', () => {
    const stack = withWatermark({});
    expect(policiesOf(stack).sort()).toEqual([
      'AWS::DynamoDB::Table Retain/Retain',
      'AWS::Logs::LogGroup Retain/Retain',
      'AWS::S3::Bucket Retain/Retain',
      'AWS::S3::Bucket Retain/Retain',
    ]);
    Template.fromStack(stack).resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('retains them with DESTROY but without the context opt-in, and warns', () => {
    const stack = withWatermark({}, RemovalPolicy.DESTROY);
    expect(policiesOf(stack).every((policy) => policy.endsWith('Retain/Retain'))).toBe(true);
    Template.fromStack(stack).resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    Annotations.fromStack(stack).hasWarning('/Stack/DailySales',
      Match.stringLikeRegexp('removalPolicy is DESTROY, but the context value cdk-keep-data-up-to-date:removeDataOnDestroy is not true.*cdk-keep-data-up-to-date:removeDataOnDestroyNotSet'));
  });

  test('deletes them, emptying the buckets first, with DESTROY and the context opt-in', () => {
    const stack = withWatermark({ 'cdk-keep-data-up-to-date:removeDataOnDestroy': true }, RemovalPolicy.DESTROY);
    expect(policiesOf(stack).sort()).toEqual([
      'AWS::DynamoDB::Table Delete/Delete',
      'AWS::Logs::LogGroup Delete/Delete',
      'AWS::S3::Bucket Delete/Delete',
      'AWS::S3::Bucket Delete/Delete',
    ]);
    Template.fromStack(stack).resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('removalPolicy is DESTROY'));
  });

  test('never empties a bucket the user brings: only the results bucket it created', () => {
    // GIVEN the target in the user's bucket
    const stack = withWatermark({ 'cdk-keep-data-up-to-date:removeDataOnDestroy': true }, RemovalPolicy.DESTROY, {});
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });
});
