import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { KeepDataUpToDate, TargetQueries } from '../src';
import { addCustomisedInstances, addHiveLookbackInstance, addS3TablesInstance, QUERIES } from './fixtures';


function newStack(): { app: App; stack: Stack } {
  const app = new App();
  return { app, stack: new Stack(app, 'Stack', { env: { account: '111122223333', region: 'us-east-1' } }) };
}

/** The AwsSolutions findings nobody acknowledged, errors and warnings alike. */
function unacknowledged(app: App, scope: IConstruct) {
  return new AwsSolutionsChecks(app).validateScope(scope).violations
    .map((violation) => ({
      rule: violation.ruleName,
      severity: violation.severity,
      paths: violation.violatingResources.map((resource) => resource.constructPath),
    }));
}

/** Every acknowledgement recorded in a construct tree, by rule ID. */
function acknowledgements(scope: IConstruct): Map<string, string> {
  const found = new Map<string, string>();
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries<string>(entry.data)) found.set(id.replace(/^annotation::/i, ''), reason);
    }
  }
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  test('finds nothing unacknowledged with default props', () => {
    // GIVEN
    const { app, stack } = newStack();
    new KeepDataUpToDate(stack, 'Sales', {
      databaseName: 'analytics',
      targetTableName: 'daily_sales',
      sourceTableNames: ['sales'],
      sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'sales-raw'), prefix: 'sales/' }],
      ...QUERIES,
    });
    // WHEN / THEN
    expect(unacknowledged(app, stack)).toEqual([]);
  });

  test.each([
    ['a Hive target in S3', (stack: Stack) => addHiveLookbackInstance(stack)],
    ['an S3 table', (stack: Stack) => addS3TablesInstance(stack)],
  ])('finds nothing unacknowledged on a reader granted grantReadTargetTable on %s', (_name, build) => {
    // GIVEN a role of the user's, granted read access to the target table
    const { app, stack } = newStack();
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN
    build(stack).grantReadTargetTable(reader);
    // THEN its wildcards (object prefix, action groups, a table bucket's tables) are acknowledged with reasons
    expect(unacknowledged(app, stack)).toEqual([]);
  });

  test('finds a reader\'s wildcard that no grant acknowledged', () => {
    // GIVEN the same reader, with a hand-written read of every object of the bucket
    const { app, stack } = newStack();
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    addHiveLookbackInstance(stack).grantReadTargetTable(reader);
    reader.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::my-lake/*'] }));
    // THEN
    expect(unacknowledged(app, stack)).toEqual([expect.objectContaining({ rule: expect.stringMatching(/IAM5/) })]);
  });

  test('finds nothing unacknowledged with customised props, Lake Formation grants, a schedule and three instances', () => {
    // GIVEN customer managed keys, an access-log bucket, full logging, a scan cutoff, several sources,
    // an existing workgroup and a schedule
    const { app, stack } = newStack();
    addCustomisedInstances(stack);
    // WHEN / THEN
    expect(unacknowledged(app, stack)).toEqual([]);
  });

  test('finds nothing unacknowledged with a Hive lookback that rewrites partitions', () => {
    const { app, stack } = newStack();
    addHiveLookbackInstance(stack);
    expect(unacknowledged(app, stack)).toEqual([]);
  });

  test('finds nothing unacknowledged with a watermark on a schedule: the lock table, its grants and the freshness alarm', () => {
    const { app, stack } = newStack();
    new KeepDataUpToDate(stack, 'Orders', {
      databaseName: 'analytics',
      targetTableName: 'orders_copy',
      sourceTableNames: ['orders'],
      sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'orders-raw'), prefix: 'orders/' }],
      queries: TargetQueries.appendNewerRows({ sourceTableName: 'orders', watermarkColumn: 'dt' }),
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
    });
    expect(unacknowledged(app, stack)).toEqual([]);
  });

  test.each([false, true])('finds nothing unacknowledged with a maintained Iceberg target: the optimizers\' role and its grants (Lake Formation grants: %s)', (lakeFormation) => {
    const { app, stack } = newStack();
    const workflow = new KeepDataUpToDate(stack, 'Orders', {
      databaseName: 'analytics',
      targetTableName: 'orders_merged',
      sourceTableNames: ['orders'],
      sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'orders-raw'), prefix: 'orders/' }],
      queries: TargetQueries.mergeNewerRows({ sourceTableName: 'orders', uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'] }),
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
    });
    if (lakeFormation) workflow.grantLakeFormationPermissions({ targetTableExists: true });
    expect(unacknowledged(app, stack)).toEqual([]);
  });

  test('finds nothing unacknowledged with an S3 Tables target and Lake Formation grants for its sources: the table actions held to one table by conditions', () => {
    const { app, stack } = newStack();
    addS3TablesInstance(stack, { schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)) }).grantLakeFormationPermissions();
    expect(unacknowledged(app, stack)).toEqual([]);
  });

  test('acknowledges each finding by its exact ID with a specific reason, never a whole rule', () => {
    // GIVEN
    const { stack } = newStack();
    const construct = new KeepDataUpToDate(stack, 'Sales', {
      databaseName: 'analytics',
      targetTableName: 'daily_sales',
      sourceTableNames: ['sales'],
      sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'sales-raw'), prefix: 'sales/' }],
      ...QUERIES,
    });
    // WHEN
    const acknowledged = acknowledgements(construct);
    // THEN
    const target = stack.getLogicalId(construct.targetDataLocation!.bucket.node.defaultChild as s3.CfnBucket);
    const results = stack.getLogicalId(construct.resultsBucket.node.defaultChild as s3.CfnBucket);
    expect([...acknowledged.keys()].sort()).toEqual([
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::<${results}.Arn>/athena-results/*]`,
      `AwsSolutions-IAM5[Resource::<${target}.Arn>/daily_sales/*]`,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::sales-raw/sales/*]',
      'AwsSolutions-S1',
      'AwsSolutions-SF1',
    ].sort());
    expect(acknowledged.get('AwsSolutions-IAM5[Resource::*]')).toMatch(/lakeformation:GetDataAccess.*logs:CreateLogDelivery.*xray:PutTraceSegments/);
    expect(acknowledged.get('AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::sales-raw/sales/*]')).toMatch(/a source table's data/);
    expect(acknowledged.get('AwsSolutions-SF1')).toMatch(/level ERROR/);
  });

  test('leaves S1 and SF1 to the user when access logs and full logging are configured', () => {
    // GIVEN
    const { stack } = newStack();
    const construct = new KeepDataUpToDate(stack, 'Sales', {
      databaseName: 'analytics',
      targetTableName: 'daily_sales',
      sourceTableNames: ['sales'],
      sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'sales-raw'), prefix: 'sales/' }],
      serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', 'access-logs'),
      logLevel: sfn.LogLevel.ALL,
      ...QUERIES,
    });
    // WHEN
    const acknowledged = acknowledgements(construct);
    // THEN
    expect(acknowledged.has('AwsSolutions-S1')).toBe(false);
    expect(acknowledged.has('AwsSolutions-SF1')).toBe(false);
  });

  test('still reports a wildcard the construct did not grant', () => {
    // GIVEN a user who widens the role to every table of the database
    const { app, stack } = newStack();
    const construct = new KeepDataUpToDate(stack, 'Sales', {
      databaseName: 'analytics',
      targetTableName: 'daily_sales',
      sourceTableNames: ['sales'],
      sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'sales-raw'), prefix: 'sales/' }],
      ...QUERIES,
    });
    construct.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['glue:GetTables'],
      resources: [stack.formatArn({ service: 'glue', resource: 'table', resourceName: 'analytics/*' })],
    }));
    // WHEN / THEN
    expect(unacknowledged(app, stack)).toEqual([{
      rule: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:us-east-1:111122223333:table/analytics/*]',
      severity: 'error',
      paths: ['Stack/Sales/Role/DefaultPolicy/Resource'],
    }]);
  });
});
