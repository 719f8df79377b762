import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeepDataUpToDate, KeepDataUpToDateProps, TargetQueries, TargetStorage } from '../src';
import { definitionOf, newStack } from './util';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const TABLE_ARNS = [
  arn(`:glue:${REGION}:${ACCOUNT}:catalog`),
  arn(`:glue:${REGION}:${ACCOUNT}:database/analytics`),
  arn(`:glue:${REGION}:${ACCOUNT}:table/analytics/daily_sales`),
];

const merge = () => TargetQueries.mergeNewerRows({ sourceTableName: 'raw_sales', uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'] });

function icebergTarget(stack: Stack, props: Partial<KeepDataUpToDateProps> = {}): KeepDataUpToDate {
  return new KeepDataUpToDate(stack, 'DailySales', {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['raw_sales'],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'Raw', 'raw-sales'), prefix: 'sales/' }],
    target: TargetStorage.s3({ bucket: s3.Bucket.fromBucketName(stack, 'Lake', 'lake'), prefix: 'daily_sales/' }),
    queries: merge(),
    ...props,
  });
}

/** The statements of a role's default policy, as deployed. */
function statementsOf(stack: Stack, role: iam.IRole): any[] {
  const policy = role.node.findChild('DefaultPolicy') as iam.Policy;
  const logicalId = stack.resolve((policy.node.defaultChild as iam.CfnPolicy).logicalId);
  return Template.fromStack(stack).toJSON().Resources[logicalId].Properties.PolicyDocument.Statement;
}

describe('an Iceberg target is maintained by default', () => {
  // GIVEN an Iceberg target (mergeNewerRows) with default props
  const stack = newStack();
  const construct = icebergTarget(stack);
  const template = Template.fromStack(stack);
  const maintenanceRoleId = stack.resolve((construct.maintenanceRole!.node.defaultChild as iam.CfnRole).logicalId);

  test('the optimizers run as a role of their own, which Glue alone assumes, for this account only', () => {
    expect(construct.maintenanceRole).toBeDefined();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'glue.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }],
      },
    });
  });

  test('the optimizers\' role may read, write and delete only objects under the target prefix, and update only the target table', () => {
    const logGroup = (name: string) => arn(`:logs:${REGION}:${ACCOUNT}:log-group:/aws-glue/${name}/logs:*`);
    expect(statementsOf(stack, construct.maintenanceRole!)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: arn(':s3:::lake/daily_sales/*') },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: arn(':s3:::lake') },
      { Effect: 'Allow', Action: ['glue:GetTable', 'glue:UpdateTable'], Resource: TABLE_ARNS },
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [logGroup('iceberg-compaction'), logGroup('iceberg-retention'), logGroup('iceberg-orphan-file-deletion')],
      },
    ]);
  });

  test('the workflow\'s role deletes nothing: it may only create, read and update the optimizers, and pass their role to Glue', () => {
    const statements = statementsOf(stack, construct.role);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    // (logs:DeleteLogDelivery is Step Functions' own logging set-up, no data)
    expect(actions.filter((action: string) => /Delete/.test(action) && action !== 'logs:DeleteLogDelivery')).toEqual([]);
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: 'glue:createTableOptimizer', Resource: TABLE_ARNS },
      { Effect: 'Allow', Action: 'glue:getTableOptimizer', Resource: TABLE_ARNS },
      { Effect: 'Allow', Action: 'glue:updateTableOptimizer', Resource: TABLE_ARNS },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [maintenanceRoleId, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } },
      },
    ]));
  });

  test('after the target exists, Get Maintenance reads the last optimizer created; when none, the workflow enables all three', () => {
    const states = definitionOf(stack).States;
    expect(states['Get Target Table'].Next).toBe('Get Maintenance');
    expect(states['Create Target Table'].Next).toBe('Get Maintenance');
    expect(states['Get Maintenance']).toMatchObject({
      Resource: 'arn:<Ref:AWS::Partition>:states:::aws-sdk:glue:getTableOptimizer',
      Parameters: { CatalogId: ACCOUNT, DatabaseName: 'analytics', TableName: 'daily_sales', Type: 'retention' },
      ResultSelector: { 'Configuration.$': '$.TableOptimizer.Configuration' },
      ResultPath: '$.maintenance.retention',
      Next: 'Snapshot Retention Current?',
      Catch: [{ ErrorEquals: ['Glue.EntityNotFoundException'], ResultPath: null, Next: 'Enable Compaction' }],
    });
    // Each create goes on past an optimizer that exists already, so a rerun finishes what a stopped one began.
    const chain = [['Enable Compaction', 'Enable Orphan File Deletion'], ['Enable Orphan File Deletion', 'Enable Snapshot Retention'], ['Enable Snapshot Retention', 'Get Source Table']];
    for (const [state, next] of chain) {
      expect(states[state]).toMatchObject({
        Resource: 'arn:<Ref:AWS::Partition>:states:::aws-sdk:glue:createTableOptimizer',
        ResultPath: null,
        Next: next,
        Catch: [{ ErrorEquals: ['Glue.AlreadyExistsException'], ResultPath: null, Next: next }],
      });
    }
    expect(states['Enable Compaction'].Parameters).toMatchObject({ CatalogId: ACCOUNT, DatabaseName: 'analytics', TableName: 'daily_sales', Type: 'compaction', TableOptimizerConfiguration: { Enabled: true } });
    expect(states['Enable Snapshot Retention'].Parameters).toMatchObject({
      Type: 'retention',
      TableOptimizerConfiguration: {
        Enabled: true,
        RetentionConfiguration: { IcebergConfiguration: { SnapshotRetentionPeriodInDays: 5, NumberOfSnapshotsToRetain: 1, CleanExpiredFiles: true } },
      },
    });
    expect(states['Enable Orphan File Deletion'].Parameters).toMatchObject({
      Type: 'orphan_file_deletion',
      TableOptimizerConfiguration: { Enabled: true, OrphanFileDeletionConfiguration: { IcebergConfiguration: { OrphanFileRetentionPeriodInDays: 3, Location: 's3://lake/daily_sales/' } } },
    });
  });

  test('an existing retention optimizer with the period snapshotRetention sets is left as it is; another period is updated, Enabled kept', () => {
    const states = definitionOf(stack).States;
    const period = '$.maintenance.retention.Configuration.RetentionConfiguration.IcebergConfiguration.SnapshotRetentionPeriodInDays';
    expect(states['Snapshot Retention Current?']).toMatchObject({
      Type: 'Choice',
      Choices: [{ And: [{ Variable: period, IsPresent: true }, { Variable: period, NumericEquals: 5 }], Next: 'Get Source Table' }],
      Default: 'Update Snapshot Retention',
    });
    expect(states['Update Snapshot Retention']).toMatchObject({
      Resource: 'arn:<Ref:AWS::Partition>:states:::aws-sdk:glue:updateTableOptimizer',
      Parameters: {
        CatalogId: ACCOUNT,
        DatabaseName: 'analytics',
        TableName: 'daily_sales',
        Type: 'retention',
        TableOptimizerConfiguration: {
          'Enabled.$': '$.maintenance.retention.Configuration.Enabled',
          'RetentionConfiguration': { IcebergConfiguration: { SnapshotRetentionPeriodInDays: 5, NumberOfSnapshotsToRetain: 1, CleanExpiredFiles: true } },
        },
      },
      ResultPath: null,
      Next: 'Get Source Table',
    });
  });

  test('every optimizer runs as the maintenance role', () => {
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
    // three creates and the retention update
    expect(parts.filter((part) => JSON.stringify(part) === JSON.stringify({ 'Fn::GetAtt': [maintenanceRoleId, 'Arn'] }))).toHaveLength(4);
  });
});

describe('maintenance props', () => {
  test('snapshotRetention sets the retention optimizer\'s period in days', () => {
    const stack = newStack();
    icebergTarget(stack, { snapshotRetention: Duration.days(30) });
    const states = definitionOf(stack).States;
    expect(states['Enable Snapshot Retention'].Parameters.TableOptimizerConfiguration.RetentionConfiguration.IcebergConfiguration.SnapshotRetentionPeriodInDays).toBe(30);
    expect(states['Update Snapshot Retention'].Parameters.TableOptimizerConfiguration.RetentionConfiguration.IcebergConfiguration.SnapshotRetentionPeriodInDays).toBe(30);
    expect(states['Snapshot Retention Current?'].Choices[0].And[1].NumericEquals).toBe(30);
  });

  test('icebergMaintenance false leaves the optimizers off: no role, no states', () => {
    const stack = newStack();
    const construct = icebergTarget(stack, { icebergMaintenance: false });
    expect(construct.maintenanceRole).toBeUndefined();
    expect(definitionOf(stack).States['Get Maintenance']).toBeUndefined();
    expect(definitionOf(stack).States['Get Target Table'].Next).toBe('Get Source Table');
  });

  test('a Hive target has no maintenance', () => {
    const stack = newStack();
    const construct = icebergTarget(stack, { queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt' }) });
    expect(construct.maintenanceRole).toBeUndefined();
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'glue.amazonaws.com' } })] } }, 0);
  });

  test.each([
    [{ queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt' }), icebergMaintenance: true }, /icebergMaintenance turns on the Glue table optimizers, which take Iceberg tables only/],
    [{ snapshotRetention: Duration.hours(36) }, /snapshotRetention must be a whole number of days, 1 or more \(got 1 day 12 hours\)/],
    [{ icebergMaintenance: false, snapshotRetention: Duration.days(7) }, /snapshotRetention configures the maintenance of an Iceberg target/],
  ])('fails when %#', (props, message) => {
    expect(() => icebergTarget(newStack(), props as Partial<KeepDataUpToDateProps>)).toThrow(message);
  });
});
