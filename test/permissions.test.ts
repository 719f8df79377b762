import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeepDataUpToDate, KeepDataUpToDateProps, TargetQueries } from '../src';
import { addCustomisedInstances, addDefaultInstance, addHiveLookbackInstance, addMaintainedIcebergInstance, addS3TablesInstance, QUERIES } from './fixtures';
import { identityPolicies } from './util';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const IMPORTED_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const glueArn = (resource: string) => arn(`:glue:${REGION}:${ACCOUNT}:${resource}`);
const s3Arn = (resource: string) => arn(`:s3:::${resource}`);

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: REGION } });
}

/** The statements of the workflow role's policy. */
function roleStatements(stack: Stack, construct: KeepDataUpToDate): any[] {
  const policy = construct.role.node.findChild('DefaultPolicy') as iam.Policy;
  const logicalId = stack.resolve((policy.node.defaultChild as iam.CfnPolicy).logicalId);
  return Template.fromStack(stack).toJSON().Resources[logicalId].Properties.PolicyDocument.Statement;
}

function expectStatement(template: Template, statement: Record<string, unknown>) {
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectEquals({ Effect: 'Allow', ...statement })]) },
  });
}

describe('the workflow role with default props', () => {
  // GIVEN a source location in an imported bucket; the construct creates the rest
  const stack = newStack();
  const construct = addDefaultInstance(stack);
  // WHEN
  const template = Template.fromStack(stack);
  const workGroupArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:athena:${REGION}:${ACCOUNT}:workgroup/`, stack.resolve(construct.workGroupName)]] };
  const targetBucketArn = stack.resolve(construct.targetDataLocation!.bucket.bucketArn);
  const resultsBucketArn = stack.resolve(construct.resultsBucket.bucketArn);
  const objects = (bucketArn: unknown, prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });

  // THEN
  test('runs, polls and stops queries in its workgroup only', () => {
    expectStatement(template, {
      Sid: 'RunQueriesInWorkGroup',
      Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
      Resource: workGroupArn,
    });
  });

  test('reads the AwsDataCatalog catalog only', () => {
    expectStatement(template, {
      Sid: 'ReadDataCatalog',
      Action: 'athena:GetDataCatalog',
      Resource: arn(`:athena:${REGION}:${ACCOUNT}:datacatalog/AwsDataCatalog`),
    });
  });

  test('reads the one database', () => {
    expectStatement(template, {
      Sid: 'ReadDatabase',
      Action: 'glue:GetDatabase',
      Resource: [glueArn('catalog'), glueArn('database/analytics')],
    });
  });

  test('reads the source table and its partitions, and changes nothing in it', () => {
    expectStatement(template, {
      Sid: 'ReadSourceTables',
      Action: ['glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
      Resource: [glueArn('catalog'), glueArn('database/analytics'), glueArn('table/analytics/sales')],
    });
  });

  test('creates the target table and adds partitions to it, on that table only', () => {
    expectStatement(template, {
      Sid: 'ReadWriteTargetTable',
      Action: [
        'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition',
        'glue:CreateTable', 'glue:UpdateTable', 'glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition',
      ],
      Resource: [glueArn('catalog'), glueArn('database/analytics'), glueArn('table/analytics/daily_sales')],
    });
  });

  test('gets Lake Formation data access on *, the only resource that action accepts', () => {
    expectStatement(template, { Sid: 'LakeFormationDataAccess', Action: 'lakeformation:GetDataAccess', Resource: '*' });
  });

  test('reads the source objects under their prefix only', () => {
    expectStatement(template, {
      Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
      Resource: [s3Arn('sales-raw'), s3Arn('sales-raw/sales/*')],
    });
  });

  test('reads and writes the target and results objects under their prefixes, and deletes none', () => {
    for (const [bucketArn, prefix] of [[targetBucketArn, 'daily_sales/'], [resultsBucketArn, 'athena-results/']]) {
      expectStatement(template, {
        Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
        Resource: [bucketArn, objects(bucketArn, prefix)],
      });
      expectStatement(template, {
        Action: ['s3:PutObject', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:Abort*'],
        Resource: objects(bucketArn, prefix),
      });
    }
  });

  test('checks whether the target table exists with Glue GetTable on that table only', () => {
    expectStatement(template, {
      Action: 'glue:getTable',
      Resource: [glueArn('catalog'), glueArn('database/analytics'), glueArn('table/analytics/daily_sales')],
    });
  });

  test('grants no action beyond the query, catalog, data, logging and tracing ones', () => {
    const actions = new Set(roleStatements(stack, construct).flatMap((statement) => [statement.Action].flat()));
    const expected = [
      'athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution', 'athena:GetDataCatalog',
      'glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition',
      'glue:CreateTable', 'glue:UpdateTable', 'glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition',
      'glue:getTable', 'lakeformation:GetDataAccess',
      's3:GetObject*', 's3:GetBucket*', 's3:List*',
      's3:PutObject', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:Abort*',
      'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
      'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
      'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
    ];
    // The concurrency guard lists this state machine's executions, and nothing else.
    const extra = [...actions].filter((action) => !expected.includes(action));
    expect(extra.filter((action) => action !== 'states:ListExecutions')).toEqual([]);
    expect(expected.filter((action) => !actions.has(action))).toEqual([]);
  });

  test('never grants athena:GetQueryResults for the CTAS and INSERT INTO queries', () => {
    const statement = roleStatements(stack, construct).find((s) => s.Sid === 'RunQueriesInWorkGroup');
    expect([statement.Action].flat()).not.toContain('athena:GetQueryResults');
  });
});

describe('the workflow role with a watermark on a partition column', () => {
  // GIVEN generated statements that find windows in the source's partition metadata
  const stack = newStack();
  const sourceBucket = s3.Bucket.fromBucketName(stack, 'SourceBucket', 'sales-raw');
  const construct = new KeepDataUpToDate(stack, 'Sales', {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['sales', 'stores'],
    sourceDataLocations: [{ bucket: sourceBucket, prefix: 'sales/' }],
    queries: TargetQueries.appendNewerRows({ sourceTableName: 'sales', watermarkColumn: 'dt', columns: ['order_id', 'dt'] }),
  });
  const template = Template.fromStack(stack);

  test('reads the window source\'s definition with Glue GetTable on that table only, to refuse a projected source', () => {
    expectStatement(template, {
      Action: 'glue:getTable',
      Resource: [glueArn('catalog'), glueArn('database/analytics'), glueArn('table/analytics/sales')],
    });
    const getTable = roleStatements(stack, construct).filter((statement) => statement.Action === 'glue:getTable');
    expect(getTable.map((statement) => statement.Resource[2])).toEqual([glueArn('table/analytics/daily_sales'), glueArn('table/analytics/sales')]);
  });

  test('reads query results in its workgroup only, and grants nothing for execution parameters', () => {
    expectStatement(template, {
      Action: 'athena:getQueryResults',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:athena:${REGION}:${ACCOUNT}:workgroup/`, stack.resolve(construct.workGroupName)]] },
    });
  });
});

describe('the workflow role with customised props', () => {
  // GIVEN an existing workgroup, a results bucket, and data in buckets with customer managed keys
  function customised(extra: Partial<KeepDataUpToDateProps> = {}) {
    const stack = newStack();
    const dataKey = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
    const salesKey = kms.Key.fromKeyArn(stack, 'SalesKey', IMPORTED_KEY_ARN);
    const construct = new KeepDataUpToDate(stack, 'Sales', {
      databaseName: 'analytics',
      targetTableName: 'daily_sales',
      sourceTableNames: ['sales', 'stores'],
      sourceDataLocations: [
        { bucket: s3.Bucket.fromBucketAttributes(stack, 'SalesBucket', { bucketName: 'sales-raw', encryptionKey: salesKey }), prefix: 'sales/daily' },
        { bucket: s3.Bucket.fromBucketName(stack, 'StoresBucket', 'reference-data'), prefix: 'stores/' },
      ],
      targetDataLocation: {
        bucket: s3.Bucket.fromBucketAttributes(stack, 'LakeBucket', { bucketName: 'curated-lake', encryptionKey: dataKey }),
        prefix: 'curated/daily_sales/',
      },
      workGroupName: 'analytics-team',
      resultsBucket: s3.Bucket.fromBucketName(stack, 'ResultsBucket', 'team-athena-results'),
      resultsPrefix: 'keep-data-up-to-date',
      ...QUERIES,
      ...extra,
    });
    return { stack, construct, template: Template.fromStack(stack), dataKeyArn: stack.resolve(dataKey.keyArn) };
  }

  const { template, dataKeyArn } = customised();

  test('runs queries in the existing workgroup only', () => {
    expectStatement(template, {
      Sid: 'RunQueriesInWorkGroup',
      Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
      Resource: arn(`:athena:${REGION}:${ACCOUNT}:workgroup/analytics-team`),
    });
  });

  test('reads each source table, and no other table of the database', () => {
    expectStatement(template, {
      Sid: 'ReadSourceTables',
      Action: ['glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
      Resource: [
        glueArn('catalog'), glueArn('database/analytics'),
        glueArn('table/analytics/sales'), glueArn('table/analytics/stores'),
      ],
    });
  });

  test('reads each source location under its prefix', () => {
    expectStatement(template, {
      Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
      Resource: [s3Arn('sales-raw'), s3Arn('sales-raw/sales/daily/*')],
    });
    expectStatement(template, {
      Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
      Resource: [s3Arn('reference-data'), s3Arn('reference-data/stores/*')],
    });
  });

  test('may decrypt with the key of an encrypted source bucket, and do nothing else with it', () => {
    expectStatement(template, { Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: IMPORTED_KEY_ARN });
  });

  test('may encrypt and decrypt with the key of an encrypted target bucket', () => {
    expectStatement(template, { Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: dataKeyArn });
    expectStatement(template, { Action: ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Decrypt'], Resource: dataKeyArn });
  });

  test('reads and writes the target location and the results prefix of the given bucket', () => {
    expectStatement(template, {
      Action: ['s3:PutObject', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:Abort*'],
      Resource: s3Arn('curated-lake/curated/daily_sales/*'),
    });
    expectStatement(template, {
      Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
      Resource: [s3Arn('team-athena-results'), s3Arn('team-athena-results/keep-data-up-to-date/*')],
    });
    expectStatement(template, {
      Action: ['s3:PutObject', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:Abort*'],
      Resource: s3Arn('team-athena-results/keep-data-up-to-date/*'),
    });
  });

  test('the key policy of a key in the same stack is left alone: the grant is on the role', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: [Match.objectLike({ Principal: { AWS: arn(`:iam::${ACCOUNT}:root`) } })] },
    });
  });

  test('may use the workgroup\'s results key to write and read results, and nothing else with it', () => {
    const stack = newStack();
    const resultsKey = new kms.Key(stack, 'ResultsKey', { enableKeyRotation: true });
    new KeepDataUpToDate(stack, 'Sales', {
      databaseName: 'analytics',
      targetTableName: 'daily_sales',
      sourceTableNames: ['sales'],
      sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'sales-raw'), prefix: 'sales/' }],
      resultsEncryptionKey: resultsKey,
      ...QUERIES,
    });
    expectStatement(Template.fromStack(stack), { Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: stack.resolve(resultsKey.keyArn) });
  });
});

/*
 * The policy walker: every Allow statement of every IAM policy in every template must name
 * actions and resources, not `*`, and must delete nothing. The only exceptions are what AWS
 * forces, each listed with its reason.
 */

/** Actions that support no resource-level permissions, so AWS only accepts `*` for them. */
const FORCED_ON_ANY_RESOURCE: Record<string, string> = {
  'lakeformation:GetDataAccess': 'Lake Formation vends credentials for registered locations; the action has no resource type',
  'cloudwatch:PutMetricData': 'the freshness metric; the action\'s only resource type is an optional CloudWatch dataset, which the metric is not in, and the statement is narrowed to one namespace by the cloudwatch:namespace condition',
  'logs:CreateLogDelivery': 'Step Functions logging to CloudWatch Logs (added by aws-cdk-lib when logs are configured)',
  'logs:GetLogDelivery': 'Step Functions logging to CloudWatch Logs',
  'logs:UpdateLogDelivery': 'Step Functions logging to CloudWatch Logs',
  'logs:DeleteLogDelivery': 'Step Functions logging to CloudWatch Logs',
  'logs:ListLogDeliveries': 'Step Functions logging to CloudWatch Logs',
  'logs:PutResourcePolicy': 'Step Functions logging to CloudWatch Logs',
  'logs:DescribeResourcePolicies': 'Step Functions logging to CloudWatch Logs',
  'logs:DescribeLogGroups': 'Step Functions logging to CloudWatch Logs',
  'xray:PutTraceSegments': 'X-Ray tracing (added by aws-cdk-lib when tracing is on)',
  'xray:PutTelemetryRecords': 'X-Ray tracing',
  'xray:GetSamplingRules': 'X-Ray tracing',
  'xray:GetSamplingTargets': 'X-Ray tracing',
};

/** Delete actions AWS requires. */
const ALLOWED_DELETE_ACTIONS: Record<string, string> = {
  // The Step Functions developer guide's policy for logging to CloudWatch Logs lists it: Step
  // Functions removes the log delivery when logging is turned off or its destination changes.
  // It deletes a log delivery configuration, never data.
  'logs:DeleteLogDelivery': 'Step Functions removes its log delivery when logging changes',
};

/** The string form of a resolved CloudFormation value, with references as `<LogicalId.Attr>`. */
function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  if (value.Ref) return `<${value.Ref}>`;
  return JSON.stringify(value);
}

/** Everything in the templates' IAM policies that the construct must never grant. */
function policyProblems(templates: Array<Record<string, any>>): string[] {
  const problems: string[] = [];
  for (const { where, document } of templates.flatMap(identityPolicies)) {
    for (const statement of [document.Statement].flat()) {
      if (statement.Effect !== 'Allow') continue;
      if (statement.NotAction || statement.NotResource) problems.push(`${where}: NotAction/NotResource`);
      const actions: string[] = [statement.Action].flat();
      const resources = [statement.Resource].flat().map(flatten);
      for (const action of actions) {
        const name = action.split(':')[1] ?? '';
        const literal = name.split('*')[0].toLowerCase();
        if (action === '*' || name === '*') problems.push(`${where}: every action of ${action}`);
        if (name.toLowerCase().startsWith('delete') && !(action in ALLOWED_DELETE_ACTIONS)) problems.push(`${where}: ${action} deletes`);
        if (name.includes('*') && literal !== '' && 'delete'.startsWith(literal)) problems.push(`${where}: ${action} may match a Delete action`);
        if (resources.includes('*') && !(action in FORCED_ON_ANY_RESOURCE)) problems.push(`${where}: ${action} on *`);
      }
      for (const resource of resources) {
        // `log-group:<name>:*` is one log group's streams, the form CloudWatch Logs documents; any other `:*` is a whole service
        const logStreams = /:log-group:[^*]+:\*$/.test(resource);
        if (resource !== '*' && resource.endsWith(':*') && !logStreams) problems.push(`${where}: every resource of a service (${resource})`);
        if (resource.includes(':glue:') && resource.includes('*')) problems.push(`${where}: a Glue wildcard (${resource})`);
      }
    }
  }
  return problems;
}

describe('the policy walker', () => {
  test('finds nothing to object to in the default, customised, Lake Formation, KMS and scheduled watermark templates', () => {
    const templates: Array<Record<string, any>> = [];

    const defaults = newStack();
    addDefaultInstance(defaults);
    templates.push(Template.fromStack(defaults).toJSON());

    const customised = newStack();
    addCustomisedInstances(customised);
    templates.push(Template.fromStack(customised).toJSON());

    expect(identityPolicies(templates[0]).length).toBeGreaterThan(0);
    expect(policyProblems(templates)).toEqual([]);
  });

  test('fails on * actions, service:* actions, Delete actions and * resources', () => {
    // GIVEN the kind of policy the reference sample and AthenaStartQueryExecution grant
    const stack = newStack();
    const role = new iam.Role(stack, 'Broad', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['glue:DeleteTable', 'glue:Del*'], resources: ['arn:aws:glue:us-east-1:111122223333:table/db/*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['athena:StartQueryExecution'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: ['arn:aws:logs:us-east-1:111122223333:*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:DeleteObject'], resources: ['*'] }));

    // WHEN
    const problems = policyProblems([Template.fromStack(stack).toJSON()]);

    // THEN
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/every action of s3:\*/),
      expect.stringMatching(/every resource of a service \(arn:aws:s3:::\*\)/),
      expect.stringMatching(/every resource of a service \(arn:aws:logs:us-east-1:111122223333:\*\)/),
      expect.stringMatching(/glue:DeleteTable deletes/),
      expect.stringMatching(/glue:Del\* may match a Delete action/),
      expect.stringMatching(/a Glue wildcard/),
      expect.stringMatching(/athena:StartQueryExecution on \*/),
      expect.stringMatching(/every action of \*/),
    ]));
    expect(problems.filter((problem) => problem.includes('s3:DeleteObject'))).toEqual([]);
  });

  test('with a Hive lookback the user opted into, the only delete is s3:DeleteObject under the target prefix', () => {
    const stack = newStack();
    addHiveLookbackInstance(stack);
    const template = Template.fromStack(stack).toJSON();
    const problems = policyProblems([template]);
    expect(problems).toEqual([expect.stringMatching(/: s3:DeleteObject deletes$/)]);
    const deletes = identityPolicies(template).flatMap(({ document }) => [document.Statement].flat())
      .filter((statement: any) => [statement.Action].flat().includes('s3:DeleteObject'));
    expect(deletes.map((statement: any) => flatten(statement.Resource))).toEqual(['arn:<AWS::Partition>:s3:::my-lake/curated/*']);
  });
  test('finds nothing to object to for an S3 Tables target: no deletes, the table wildcard held by conditions', () => {
    const stack = newStack();
    addS3TablesInstance(stack);
    expect(policyProblems([Template.fromStack(stack).toJSON()])).toEqual([]);
  });

  test('with a maintained Iceberg target, the only deletes are the optimizers\' role\'s s3:DeleteObject under the target prefix', () => {
    const stack = newStack();
    addMaintainedIcebergInstance(stack);
    const template = Template.fromStack(stack).toJSON();
    const problems = policyProblems([template]);
    expect(problems).toEqual([expect.stringMatching(/^OrdersMaintenanceRoleDefaultPolicy[0-9A-F]+: s3:DeleteObject deletes$/)]);
    const deletes = identityPolicies(template).flatMap(({ document }) => [document.Statement].flat())
      .filter((statement: any) => [statement.Action].flat().includes('s3:DeleteObject'));
    expect(deletes.map((statement: any) => flatten(statement.Resource))).toEqual(['arn:<AWS::Partition>:s3:::my-lake/merged/*']);
  });
});
