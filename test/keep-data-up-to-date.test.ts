import { CfnParameter, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { KeepDataUpToDate, KeepDataUpToDateProps, TargetQueries, TargetStorage } from '../src';
import { definitionOf, newStack } from './util';

const CREATE = "CREATE TABLE {{database}}.{{targetTable}} WITH (format = 'PARQUET', external_location = '{{targetLocation}}') AS SELECT * FROM {{database}}.{{sourceTable}}";
const UPDATE = 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM {{database}}.raw_sales WHERE dt > (SELECT max(dt) FROM {{database}}.{{targetTable}})';


/** The props of a small workflow; `createTargetQuery` and `updateTargetQuery` among the overrides replace the templates of its `queries`. */
function minimalProps(stack: Stack, overrides: Partial<KeepDataUpToDateProps> = {}): KeepDataUpToDateProps {
  const { createTargetQuery = CREATE, updateTargetQuery = UPDATE, ...rest } = overrides;
  const lake = (stack.node.tryFindChild('Lake') as s3.IBucket | undefined) ?? s3.Bucket.fromBucketName(stack, 'Lake', 'my-lake');
  return {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['raw_sales'],
    queries: TargetQueries.fromTemplates(createTargetQuery, updateTargetQuery),
    target: TargetStorage.s3({ bucket: lake, prefix: 'curated/daily_sales/' }),
    sourceDataLocations: [{ bucket: lake, prefix: 'raw/sales/' }],
    ...rest,
  };
}


describe('KeepDataUpToDate workflow', () => {
  test('without the concurrency guard: Get Target Table, EntityNotFound caught into Create, always ending at Update', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, { singleWriter: false }));
    // THEN
    const definition = definitionOf(stack);
    expect(definition.StartAt).toBe('Get Target Table');
    expect(Object.keys(definition.States).sort()).toEqual(['Create Target Table', 'Get Target Table', 'Update Target Table']);

    const getTarget = definition.States['Get Target Table'];
    expect(getTarget.Type).toBe('Task');
    expect(getTarget.Resource).toBe('arn:<Ref:AWS::Partition>:states:::aws-sdk:glue:getTable');
    expect(getTarget.Parameters).toEqual({ DatabaseName: 'analytics', Name: 'daily_sales' });
    expect(getTarget.Next).toBe('Update Target Table');
    expect(getTarget.Catch).toEqual([
      { ErrorEquals: ['Glue.EntityNotFoundException'], ResultPath: '$.targetTableNotFound', Next: 'Create Target Table' },
    ]);

    const createTarget = definition.States['Create Target Table'];
    expect(createTarget.Resource).toBe('arn:<Ref:AWS::Partition>:states:::athena:startQueryExecution.sync');
    expect(createTarget.Next).toBe('Update Target Table');
    expect(createTarget.Catch).toBeUndefined();

    const updateTarget = definition.States['Update Target Table'];
    expect(updateTarget.Resource).toBe('arn:<Ref:AWS::Partition>:states:::athena:startQueryExecution.sync');
    expect(updateTarget.End).toBe(true);
  });

  test('by default, first ends the execution as skipped when another execution is running, else goes on to Get Target Table', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    const definition = definitionOf(stack);
    expect(definition.StartAt).toBe('List Running Executions');
    const list = definition.States['List Running Executions'];
    expect(list.Resource).toBe('arn:<Ref:AWS::Partition>:states:::aws-sdk:sfn:listExecutions');
    expect(list.Parameters).toEqual({ 'StateMachineArn.$': '$$.StateMachine.Id', 'StatusFilter': 'RUNNING', 'MaxResults': 2 });
    expect(list.ResultSelector).toEqual({ 'count.$': 'States.ArrayLength($.Executions)' });
    expect(list.Next).toBe('Another Execution Running?');
    expect(definition.States['Another Execution Running?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.runningExecutions.count', NumericGreaterThan: 1, Next: 'Skip: Another Execution Is Running' }],
      Default: 'Get Target Table',
    });
    expect(definition.States['Skip: Another Execution Is Running'].Type).toBe('Succeed');
    expect(Object.keys(definition.States)).toHaveLength(6);
  });

  test('only Glue.EntityNotFoundException is caught: any other Get Target Table error fails the execution', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    const getTarget = definitionOf(stack).States['Get Target Table'];
    const caught = getTarget.Catch.flatMap((c: any) => c.ErrorEquals);
    expect(caught).toEqual(['Glue.EntityNotFoundException']);
    expect(getTarget.Retry.flatMap((r: any) => r.ErrorEquals)).not.toContain('Glue.EntityNotFoundException');
    expect(getTarget.Retry.flatMap((r: any) => r.ErrorEquals)).not.toContain('States.ALL');
  });

  test('substitutes the placeholders into both queries', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    const definition = definitionOf(stack);

    const expectedCreate = "CREATE TABLE analytics.daily_sales WITH (format = 'PARQUET', external_location = 's3://my-lake/curated/daily_sales/') AS SELECT * FROM analytics.raw_sales";
    const expectedUpdate = 'INSERT INTO analytics.daily_sales SELECT * FROM analytics.raw_sales WHERE dt > (SELECT max(dt) FROM analytics.daily_sales)';
    expect(definition.States['Create Target Table'].Parameters.QueryString).toBe(expectedCreate);
    expect(definition.States['Update Target Table'].Parameters.QueryString).toBe(expectedUpdate);
    expect(construct.createTargetQuery).toBe(expectedCreate);
    expect(construct.updateTargetQuery).toBe(expectedUpdate);
  });

  test('placeholders tolerate spaces inside the braces, and {{workGroup}} names the workgroup', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, {
      workGroupName: 'analytics-wg',
      resultsBucket: s3.Bucket.fromBucketName(stack, 'Results', 'my-results'),
      updateTargetQuery: 'INSERT INTO {{ database }}.{{ targetTable }} SELECT * FROM t -- {{workGroup}}',
    }));
    expect(definitionOf(stack).States['Update Target Table'].Parameters.QueryString)
      .toBe('INSERT INTO analytics.daily_sales SELECT * FROM t -- analytics-wg');
  });

  test('the queries run in the created workgroup, in the database, with transient Athena errors retried', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    const definition = definitionOf(stack);
    const workGroupRef = `<Ref:${Object.keys(Template.fromStack(stack).findResources('AWS::Athena::WorkGroup'))[0]}>`;
    for (const state of ['Create Target Table', 'Update Target Table']) {
      const task = definition.States[state];
      expect(task.Parameters.WorkGroup).toBe(workGroupRef);
      expect(task.Parameters.QueryExecutionContext).toEqual({ Catalog: 'AwsDataCatalog', Database: 'analytics' });
      // The created workgroup does not enforce its configuration (a Hive CTAS with
      // external_location fails in one that does): each query sends the same location and encryption.
      expect(task.Parameters.ResultConfiguration).toEqual({
        OutputLocation: `s3://<Ref:${Object.keys(Template.fromStack(stack).findResources('AWS::S3::Bucket'))[0]}>/athena-results/`,
        EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
      });
      expect(task.Retry).toEqual([expect.objectContaining({
        ErrorEquals: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
        BackoffRate: 2,
      })]);
    }
  });

  test('reports the path taken and each query\'s id and scanned bytes in the execution output', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    const definition = definitionOf(stack);
    expect(definition.States['Get Target Table'].ResultPath).toBeNull();
    expect(definition.States['Create Target Table'].ResultPath).toBe('$.createTarget');
    expect(definition.States['Update Target Table'].ResultPath).toBe('$.updateTarget');
    expect(definition.States['Update Target Table'].ResultSelector).toEqual({
      'QueryExecutionId.$': '$.QueryExecution.QueryExecutionId',
      'DataScannedInBytes.$': '$.QueryExecution.Statistics.DataScannedInBytes',
    });
  });
});

describe('KeepDataUpToDate resources', () => {
  test('creates a locked-down workgroup whose results go to the created results bucket', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, {
      bytesScannedCutoffPerQuery: Size.gibibytes(100),
    }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Athena::WorkGroup', 1);
    const bucketId = stack.getLogicalId(construct.resultsBucket.node.defaultChild as s3.CfnBucket);
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: false,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/athena-results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
    expect(stack.resolve(construct.workGroupName)).toEqual({ Ref: stack.getLogicalId(construct.workGroup!) });
  });

  test('results expire after 30 days by default, or after resultsExpiration', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'Default', minimalProps(stack));
    new KeepDataUpToDate(stack, 'Custom', minimalProps(stack, { resultsExpiration: Duration.days(7) }));
    const template = Template.fromStack(stack);
    for (const days of [30, 7]) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: days, Status: 'Enabled' })]) },
      });
    }
  });

  test('uses an existing workgroup and results bucket without creating either', () => {
    const stack = newStack();
    const results = s3.Bucket.fromBucketName(stack, 'Results', 'my-results');
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, {
      workGroupName: 'existing-wg',
      resultsBucket: results,
      resultsPrefix: 'queries',
    }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Athena::WorkGroup', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(construct.workGroupName).toBe('existing-wg');
    expect(construct.workGroup).toBeUndefined();
    expect(construct.resultsBucket).toBe(results);
    const update = definitionOf(stack).States['Update Target Table'];
    expect(update.Parameters.WorkGroup).toBe('existing-wg');
    // An existing workgroup may not enforce a location: the queries name the results prefix, and
    // leave the encryption to the workgroup, which applies its own when the client sends none.
    expect(update.Parameters.ResultConfiguration).toEqual({ OutputLocation: 's3://my-results/queries/' });
  });

  test('warns when an existing workgroup is used without naming its results bucket', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, { workGroupName: 'existing-wg' }));
    Annotations.fromStack(stack).hasWarning('/Stack/DailySales', Match.stringLikeRegexp("workgroup 'existing-wg'.*resultsBucket"));
    Template.fromStack(stack).resourceCountIs('AWS::Athena::WorkGroup', 0);
  });

  test('warns when no source data location is given', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, { sourceDataLocations: undefined }));
    Annotations.fromStack(stack).hasWarning('/Stack/DailySales', Match.stringLikeRegexp('sourceDataLocations is not set'));
  });

  test('without a target location, keeps the target in a new bucket under <targetTable>/', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, { target: undefined }));
    const bucketId = stack.getLogicalId(construct.targetDataLocation!.bucket.node.defaultChild as s3.CfnBucket);
    expect(construct.targetDataLocation!.prefix).toBe('daily_sales/');
    expect(definitionOf(stack).States['Create Target Table'].Parameters.QueryString)
      .toContain(`external_location = 's3://<Ref:${bucketId}>/daily_sales/'`);
  });

  test('exposes the state machine, role, buckets and log group; logs at ERROR with tracing on', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      RoleArn: { 'Fn::GetAtt': [stack.getLogicalId(construct.role.node.defaultChild as any), 'Arn'] },
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
    });
    expect(construct.stateMachine).toBeInstanceOf(sfn.StateMachine);
    expect(construct.logGroup).toBeDefined();
  });

  test('two instances in one stack get their own workgroups, buckets and state machines', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    new KeepDataUpToDate(stack, 'WeeklySales', minimalProps(stack, { targetTableName: 'weekly_sales' }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.resourceCountIs('AWS::Athena::WorkGroup', 2);
    const names = Object.values(template.findResources('AWS::Athena::WorkGroup')).map((r) => r.Properties.Name);
    expect(new Set(names).size).toBe(2);
  });

  test('grantStartExecution lets a principal start executions of this state machine only', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    const user = new iam.User(stack, 'User');
    construct.grantStartExecution(user);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Users: [{ Ref: stack.getLogicalId(user.node.defaultChild as iam.CfnUser) }],
      PolicyDocument: {
        Statement: [{
          Action: 'states:StartExecution',
          Effect: 'Allow',
          Resource: { Ref: stack.getLogicalId(construct.stateMachine.node.defaultChild as any) },
        }],
      },
    });
  });

  test('metricFailed and metricSucceeded read the state machine\'s execution metrics', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    expect(construct.metricFailed().metricName).toBe('ExecutionsFailed');
    expect(construct.metricSucceeded().metricName).toBe('ExecutionsSucceeded');
    expect(stack.resolve(construct.metricFailed().dimensions)).toEqual({
      StateMachineArn: { Ref: stack.getLogicalId(construct.stateMachine.node.defaultChild as any) },
    });
  });
});

describe('KeepDataUpToDate validation', () => {
  test.each([
    ['databaseName', { databaseName: 'Analytics' }, /databaseName must be 1 to 255 lower-case letters, digits or underscores.*got 'Analytics'/],
    ['targetTableName', { targetTableName: 'daily-sales' }, /targetTableName must be .*got 'daily-sales'/],
    ['a source table name', { sourceTableNames: ['raw_sales', 'Raw Sales'] }, /sourceTableNames\[1\] must be .*got 'Raw Sales'/],
    ['an empty sourceTableNames', { sourceTableNames: [] }, /sourceTableNames must name at least one table/],
    ['a repeated source table', { sourceTableNames: ['raw_sales', 'raw_sales'] }, /sourceTableNames names 'raw_sales' more than once/],
    ['the target among the sources', { sourceTableNames: ['daily_sales'] }, /sourceTableNames must not include the target table 'daily_sales'/],
    ['an empty createTargetQuery', { createTargetQuery: '  ' }, /fromTemplates: createTargetQuery\) must be an Athena SQL statement/],
    ['an empty updateTargetQuery', { updateTargetQuery: '' }, /fromTemplates: updateTargetQuery\) must be an Athena SQL statement/],
    ['an unknown placeholder', { updateTargetQuery: 'INSERT INTO {{database}}.{{target_table}} SELECT 1' }, /fromTemplates: updateTargetQuery\) uses unknown placeholder \{\{target_table\}\}; allowed: \{\{database\}\}, \{\{targetTable\}\}/],
    ['{{sourceTable}} with several sources', { sourceTableNames: ['a', 'b'], createTargetQuery: 'CREATE TABLE x AS SELECT * FROM {{sourceTable}}' }, /fromTemplates: createTargetQuery\) uses unknown placeholder \{\{sourceTable\}\}/],
    ['an invalid workGroupName', { workGroupName: 'my wg!' }, /workGroupName must be 1 to 128 letters, digits, '.', '_' or '-' \(got 'my wg!'\)/],
    ['a cutoff below 10 MB', { bytesScannedCutoffPerQuery: Size.mebibytes(1) }, /bytesScannedCutoffPerQuery must be at least 10 MB/],
    ['a results expiration under a day', { resultsExpiration: Duration.hours(2) }, /resultsExpiration must be at least one day/],
  ])('fails when given %s', (_name, overrides, error) => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, overrides as Partial<KeepDataUpToDateProps>))).toThrow(error);
  });

  test('fails when workgroup settings are combined with an existing workgroup', () => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, {
      workGroupName: 'existing-wg',
      bytesScannedCutoffPerQuery: Size.gibibytes(1),
    }))).toThrow(/bytesScannedCutoffPerQuery configures the workgroup the construct creates; it cannot be combined with workGroupName \('existing-wg'\)/);
  });

  test('fails when resultsExpiration is given for a bucket the construct does not create', () => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, {
      resultsBucket: s3.Bucket.fromBucketName(stack, 'Results', 'my-results'),
      resultsExpiration: Duration.days(3),
    }))).toThrow(/resultsExpiration applies to the results bucket the construct creates/);
  });

  test('fails when a prefix starts with a slash', () => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, {
      target: TargetStorage.s3({ bucket: s3.Bucket.fromBucketName(stack, 'Other', 'other'), prefix: '/curated/' }),
    }))).toThrow(/target \(TargetStorage.s3: prefix\) must be an S3 key prefix .*got '\/curated\/'.*\(cdk-keep-data-up-to-date:InvalidPrefix\)$/);
  });

  test('adds the trailing slash a prefix needs so that it cannot match a sibling prefix', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, {
      target: TargetStorage.s3({ bucket: s3.Bucket.fromBucketName(stack, 'Other', 'other'), prefix: 'curated/daily' }),
    }));
    expect(construct.targetDataLocation!.prefix).toBe('curated/daily/');
    expect(construct.createTargetQuery).toContain("external_location = 's3://other/curated/daily/'");
  });

  test('accepts unresolved tokens without validating them', () => {
    const stack = newStack();
    const database = new CfnParameter(stack, 'Database').valueAsString;
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, { databaseName: database }));
    expect(stack.resolve(construct.updateTargetQuery)).toEqual({
      'Fn::Join': ['', ['INSERT INTO ', { Ref: 'Database' }, '.daily_sales SELECT * FROM ', { Ref: 'Database' }, '.raw_sales WHERE dt > (SELECT max(dt) FROM ', { Ref: 'Database' }, '.daily_sales)']],
    });
  });
});

describe('KeepDataUpToDate advice', () => {
  test('warns when the create statement does not put the table at {{targetLocation}}', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, { createTargetQuery: 'CREATE TABLE {{targetTable}} AS SELECT * FROM raw_sales' }));
    Annotations.fromStack(stack).hasWarning('/Stack/DailySales', Match.stringLikeRegexp('^queries \\(TargetQueries.fromTemplates: createTargetQuery\\) does not use \\{\\{targetLocation\\}\\}'));
  });

  test('gives no such warning when it does', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack));
    Annotations.fromStack(stack).hasNoWarning('/Stack/DailySales', Match.stringLikeRegexp('targetLocation'));
  });
});

describe('forms that every jsii language can call', () => {
  test('TargetQueries.fromStatements synthesizes what fromTemplates does, and names itself in errors', () => {
    const synth = (queries: TargetQueries) => {
      const stack = newStack();
      new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, { queries }));
      return Template.fromStack(stack).toJSON();
    };
    expect(synth(TargetQueries.fromStatements({ createTargetQuery: CREATE, updateTargetQuery: UPDATE })))
      .toEqual(synth(TargetQueries.fromTemplates(CREATE, UPDATE)));
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, {
      queries: TargetQueries.fromStatements({ createTargetQuery: CREATE, updateTargetQuery: 'INSERT INTO {{nope}} SELECT 1' }),
    }))).toThrow(/queries \(TargetQueries.fromStatements: updateTargetQuery\) uses unknown placeholder \{\{nope\}\}/);
  });

  test('TargetStorage.s3 with a prefix and no bucket puts the target under that prefix of a new bucket', () => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'DailySales', minimalProps(stack, { target: TargetStorage.s3({ prefix: 'curated/sales' }) }));
    const bucketId = stack.getLogicalId(construct.targetDataLocation!.bucket.node.defaultChild as s3.CfnBucket);
    expect(construct.targetDataLocation!.prefix).toBe('curated/sales/');
    expect(definitionOf(stack).States['Create Target Table'].Parameters.QueryString).toContain(`external_location = 's3://<Ref:${bucketId}>/curated/sales/'`);
  });
});
