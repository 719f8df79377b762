import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeepDataUpToDate, KeepDataUpToDateProps } from '../../../src';
import { evaluate, PolicyDocument } from '../../iam/policy-evaluator';
import { DAILY_SALES_CREATE, DAILY_SALES_UPDATE, writeCsvOrders } from '../analytics-app';
import { runLocally } from 'cdk-keep-data-up-to-date-local';

/*
 * The calls of a local execution are checked against the synthesized role's identity policies
 * (docs/athena-rules.md rule 20): what IAM would deny fails locally as it fails in AWS.
 */

describe('the policy evaluator', () => {
  const policy = (...Statement: any[]): PolicyDocument[] => [{ Statement }];
  const allowS3 = { Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::lake/raw/*' };

  test.each([
    ['an allowed action and resource', policy(allowS3), 's3:GetObject', 'arn:aws:s3:::lake/raw/a.parquet', 'Allowed'],
    ['actions matched without case', policy(allowS3), 'S3:getobject', 'arn:aws:s3:::lake/raw/a.parquet', 'Allowed'],
    ['resources matched with case', policy(allowS3), 's3:GetObject', 'arn:aws:s3:::lake/RAW/a.parquet', 'ImplicitlyDenied'],
    ['another prefix', policy(allowS3), 's3:GetObject', 'arn:aws:s3:::lake/curated/a.parquet', 'ImplicitlyDenied'],
    ['? as one character', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/r?w/*' }), 's3:GetObject', 'arn:aws:s3:::lake/raw/a', 'Allowed'],
    ['an explicit deny over an allow', policy(allowS3, { Effect: 'Deny', Action: '*', Resource: '*' }), 's3:GetObject', 'arn:aws:s3:::lake/raw/a', 'ExplicitlyDenied'],
    ['NotAction', policy({ Effect: 'Allow', NotAction: 's3:Delete*', Resource: '*' }), 's3:DeleteObject', 'arn:aws:s3:::lake/a', 'ImplicitlyDenied'],
    ['NotResource', policy({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::lake/raw/*' }), 's3:GetObject', 'arn:aws:s3:::lake/raw/a', 'ImplicitlyDenied'],
  ])('%s', (_name, policies, action, resource, decision) => {
    expect(evaluate(policies, { action, resource })).toBe(decision);
  });

  test.each([
    ['StringEquals with the key', { StringEquals: { 'cloudwatch:namespace': 'KeepDataUpToDate' } }, { 'cloudwatch:namespace': 'KeepDataUpToDate' }, 'Allowed'],
    ['StringEquals with another value', { StringEquals: { 'cloudwatch:namespace': 'KeepDataUpToDate' } }, { 'cloudwatch:namespace': 'Other' }, 'ImplicitlyDenied'],
    ['StringEquals without the key', { StringEquals: { 'cloudwatch:namespace': 'KeepDataUpToDate' } }, {}, 'ImplicitlyDenied'],
    ['StringNotEquals without the key', { StringNotEquals: { 'cloudwatch:namespace': 'KeepDataUpToDate' } }, {}, 'Allowed'],
    ['StringEqualsIfExists without the key', { StringEqualsIfExists: { 'iam:PassedToService': 'glue.amazonaws.com' } }, {}, 'Allowed'],
    ['StringLike', { StringLike: { 's3:prefix': ['raw/*'] } }, { 's3:prefix': 'raw/orders/' }, 'Allowed'],
    ['Bool', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'true' }, 'Allowed'],
  ])('the condition %s', (_name, Condition, context, decision) => {
    expect(evaluate(policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition }), { action: 'cloudwatch:PutMetricData', resource: '*', context })).toBe(decision);
  });

  test('refuses a condition operator it does not know rather than guess', () => {
    const dated = policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01' } } });
    expect(() => evaluate(dated, { action: 'a:B', resource: '*', context: { 'aws:CurrentTime': 'x' } }))
      .toThrow(/cannot evaluate the IAM condition operator DateGreaterThan/);
  });
});

describe('a local run', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-iam-'));
  });
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  /** The README's DailySales over `s3://analytics-data-lake/raw/orders/`, with these props changed, synthesized. */
  type Props = (stack: Stack, lake: s3.IBucket) => Partial<KeepDataUpToDateProps>;
  function assemblyOf(name: string, props: Props, extend?: (construct: KeepDataUpToDate) => void): string {
    const outdir = path.join(workDir, name);
    const app = new App({ outdir });
    const stack = new Stack(app, 'Analytics');
    const lake = s3.Bucket.fromBucketName(stack, 'DataLake', 'analytics-data-lake');
    const construct = new KeepDataUpToDate(stack, 'DailySales', {
      databaseName: 'sales',
      sourceTableNames: ['orders'],
      targetTableName: 'daily_sales',
      createTargetQuery: DAILY_SALES_CREATE,
      updateTargetQuery: DAILY_SALES_UPDATE,
      sourceDataLocations: [{ bucket: lake, prefix: 'raw/orders/' }],
      targetDataLocation: { bucket: lake, prefix: 'curated/daily_sales/' },
      ...props(stack, lake),
    });
    extend?.(construct);
    app.synth();
    return outdir;
  }

  /** The CSV orders, whose schema.json states the table's location (or not). */
  function fixtures(name: string, location?: string): string {
    const data = path.join(workDir, `${name}-data`);
    writeCsvOrders(data);
    const schemaFile = path.join(data, 'sales', 'orders', 'schema.json');
    if (location) fs.writeFileSync(schemaFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(schemaFile, 'utf8')), location }));
    return data;
  }

  const reasonOf = (cause: string | undefined) => cause ?? '';

  test('succeeds when the role may read the source where its fixture says it is, and notes nothing', async () => {
    const run = await runLocally({ assembly: assemblyOf('allowed', () => ({})), data: fixtures('allowed', 's3://analytics-data-lake/raw/orders/'), executions: 1 });
    expect(run.executions[0].status).toBe('SUCCEEDED');
    expect(run.notices).toEqual([]);
  });

  test.each([
    ['without sourceDataLocations', () => ({ sourceDataLocations: undefined })],
    ['with a wrong prefix', (_stack: Stack, lake: s3.IBucket) => ({ sourceDataLocations: [{ bucket: lake, prefix: 'raw/order/' }] })],
  ])('fails %s, as Athena fails to read the source', async (name, props) => {
    const run = await runLocally({ assembly: assemblyOf(name.replace(/\W+/g, '-'), props), data: fixtures(name.replace(/\W+/g, '-'), 's3://analytics-data-lake/raw/orders/'), executions: 1 });
    expect(run.executions[0]).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(run.executions[0].path).toContain('Create Target Table');
    expect(reasonOf(run.executions[0].cause)).toMatch(
      /^Access Denied \(Service: Amazon S3; Status Code: 403; Error Code: AccessDenied\) \(Path: s3:\/\/analytics-data-lake\/raw\/orders\/dt=2026-01-0\d\/data_0\.parquet\): User: arn:aws:sts::123456789012:assumed-role\/\S+\/local-execution is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::analytics-data-lake\/raw\/orders\/dt=2026-01-0\d\/data_0\.parquet because no identity-based policy allows the s3:GetObject action$/,
    );
  });

  test('says once that reads of a table whose fixture states no location were not checked', async () => {
    const run = await runLocally({ assembly: assemblyOf('unstated', () => ({ sourceDataLocations: undefined })), data: fixtures('unstated'), executions: 2 });
    expect(run.executions.map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(run.notices).toEqual([
      'Reads of sales.orders were not checked against the role\'s policies: its fixture does not state its S3 location (add "location": "s3://…/" to its schema.json).',
    ]);
  });

  test('fails a Task whose call the role\'s policies deny, as the service fails it', async () => {
    const assembly = assemblyOf('denied-get-table', () => ({}), (construct) => construct.role.addToPrincipalPolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY, actions: ['glue:GetTable'], resources: ['*'],
    })));
    const run = await runLocally({ assembly, data: fixtures('denied-get-table', 's3://analytics-data-lake/raw/orders/'), executions: 1 });
    expect(run.executions[0]).toMatchObject({ status: 'FAILED', error: 'Glue.AccessDeniedException' });
    expect(run.executions[0].path[run.executions[0].path.length - 1]).toBe('Get Target Table');
    expect(run.executions[0].cause).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/dailysalesrole8150b42c/local-execution is not authorized to perform: glue:GetTable on resource: '
      + 'arn:aws:glue:us-east-1:123456789012:catalog with an explicit deny in an identity-based policy (Service: Glue, Status Code: 400, Error Code: AccessDeniedException)',
    );
  });
});
