import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3tables from 'aws-cdk-lib/aws-s3tables';
import { KeepDataUpToDate, KeepDataUpToDateProps, MergeNewerRowsOptions, S3TablesTarget, TargetQueries, TargetStorage, WatermarkColumnType } from '../src';
import { definitionOf, newStack } from './util';

const TABLE_BUCKET_ARN = 'arn:aws:s3tables:eu-west-1:111122223333:bucket/analytics-tables';

/** `mergeNewerRows` on `analytics.orders`, keyed on `order_id`, with the columns' types an S3 table needs, and the overrides. */
function s3TableQueries(overrides: Partial<MergeNewerRowsOptions> = {}): TargetQueries {
  return TargetQueries.mergeNewerRows({
    sourceTableName: 'orders',
    uniqueKey: ['order_id'],
    watermarkColumn: 'dt',
    watermarkType: WatermarkColumnType.DATE,
    columns: ['order_id', 'amount', 'date', 'dt'],
    columnTypes: { order_id: 'bigint', amount: 'decimal(10, 2)', date: 'string', dt: 'date' },
    ...overrides,
  });
}

/** A workflow whose target is `orders_latest` in namespace `sales` of the table bucket `analytics-tables`. */
function s3TableProps(
  stack: ReturnType<typeof newStack>,
  overrides: Partial<KeepDataUpToDateProps> = {},
  table: Partial<S3TablesTarget> = {},
): KeepDataUpToDateProps {
  return {
    databaseName: 'analytics',
    targetTableName: 'orders_latest',
    sourceTableNames: ['orders'],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'Raw', 'raw-data'), prefix: 'orders/' }],
    queries: s3TableQueries(),
    target: TargetStorage.s3Table({ tableBucketArn: TABLE_BUCKET_ARN, namespace: 'sales', ...table }),
    ...overrides,
  };
}

const glueArn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:glue:eu-west-1:111122223333:${resource}`]] });

describe('TargetQueries.mergeNewerRows into TargetStorage.s3Table', () => {
  test('creates the table with its columns and types, partitioned, with no location, and merges into the catalog-qualified table', () => {
    // WHEN
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack));

    // THEN
    expect(construct.createTargetQuery).toBe([
      'CREATE TABLE orders_latest (',
      '  `order_id` bigint,',
      '  `amount` decimal(10,2),',
      '  `date` string,',
      '  `dt` date',
      ')',
      'PARTITIONED BY (`dt`)',
      "TBLPROPERTIES ('table_type' = 'ICEBERG', 'format' = 'PARQUET', 'write_compression' = 'SNAPPY')",
    ].join('\n'));
    expect(construct.createTargetQuery).not.toMatch(/LOCATION/i);
    expect(construct.updateTargetQuery.split('\n')[0]).toBe('MERGE INTO "s3tablescatalog/analytics-tables"."sales"."orders_latest" AS t');
    expect(construct.updateTargetQuery).toContain('FROM "analytics"."orders"');
    expect(construct.targetDataLocation).toBeUndefined();
  });

  test.each([
    [{ columnTypes: { order_id: 'bigint', amount: 'decimal(10,2)', date: 'string' } }, /columnTypes\) must give the type of column 'dt'/],
    [{ columnTypes: { order_id: 'varchar(10)', amount: 'double', date: 'string', dt: 'date' } }, /columnTypes\)\['order_id'\] must be one of boolean, int, bigint/],
    [{ columnTypes: { order_id: 'tinyint', amount: 'double', date: 'string', dt: 'date' } }, /columnTypes\)\['order_id'\] must be one of/],
    [{ columnTypes: { order_id: 'bigint', amount: 'decimal(40,2)', date: 'string', dt: 'date' } }, /columnTypes\)\['amount'\] must be one of/],
    [{ columnTypes: { order_id: 'bigint', amount: 'double', date: 'string', dt: 'date', extra: 'int' } }, /columnTypes\) names 'extra', which is not in columns/],
    [{ columnTypes: { order_id: 'bigint', amount: 'double', date: 'string', dt: 'string' } }, /watermarkType\) DATE does not fit .*columnTypes\)\['dt'\] 'string'.*\(cdk-keep-data-up-to-date:InvalidWatermarkType\)$/],
    [{ columns: ['Order_Id', 'dt'], uniqueKey: ['Order_Id'], columnTypes: { Order_Id: 'bigint', dt: 'date' } }, /columns\) must be lower-case letters, digits and underscores/],
    [{ columnTypes: undefined }, /^KeepDataUpToDate 'Stack\/Orders': queries \(TargetQueries.mergeNewerRows: columnTypes\) must give the type of each column: an S3 table \(TargetStorage.s3Table\) is created with CREATE TABLE/],
  ])('fails when the columns or their types are not what CREATE TABLE takes (%#)', (overrides, message) => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack, { queries: s3TableQueries(overrides as Partial<MergeNewerRowsOptions>) }))).toThrow(message);
  });

  test('fails when appendNewerRows would write a Hive table into it, naming both choices', () => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack, {
      queries: TargetQueries.appendNewerRows({ sourceTableName: 'orders', watermarkColumn: 'dt' }),
    }))).toThrow(/^KeepDataUpToDate 'Stack\/Orders': queries \(TargetQueries.appendNewerRows\) writes a Hive table, which target \(TargetStorage.s3Table\) cannot hold.*\(cdk-keep-data-up-to-date:UnsupportedTargetStorage\)$/);
  });

  test('fails when columnTypes is given for an Iceberg table in S3, whose types come from the source', () => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack, { target: TargetStorage.s3() })))
      .toThrow(/queries \(TargetQueries.mergeNewerRows: columnTypes\) types the columns of an S3 table.*\(cdk-keep-data-up-to-date:ConflictingProps\)$/);
  });
});

describe('a KeepDataUpToDate with an S3 Tables target', () => {
  test('looks the target up in the table bucket catalog, creates it in the namespace, and reads and merges it by its catalog-qualified name', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack));

    // THEN
    const states = definitionOf(stack).States;
    expect(states['Get Target Table'].Parameters).toEqual({
      CatalogId: '111122223333:s3tablescatalog/analytics-tables',
      DatabaseName: 'sales',
      Name: 'orders_latest',
    });
    expect(states['Get Target Table'].Catch).toEqual([{ ErrorEquals: ['Glue.EntityNotFoundException'], ResultPath: '$.targetTableNotFound', Next: 'Create Target Table' }]);
    expect(states['Create Target Table'].Parameters.QueryExecutionContext).toEqual({ Catalog: 's3tablescatalog/analytics-tables', Database: 'sales' });
    expect(states['Create Target Table'].Parameters.QueryString).toMatch(/^CREATE TABLE orders_latest \(\n {2}`order_id` bigint,/);
    // The other queries run in the source database and name the target in full.
    expect(states['Get Watermark'].Parameters.QueryExecutionContext).toEqual({ Catalog: 'AwsDataCatalog', Database: 'analytics' });
    // $partitions of an S3 table is not in Athena's guide: the watermark is read from the table's rows.
    expect(states['Get Watermark'].Parameters.QueryString).toContain('FROM "s3tablescatalog/analytics-tables"."sales"."orders_latest" GROUP BY "dt"');
    expect(states['Get Watermark'].Parameters.QueryString).not.toContain('$partitions"."');
    expect(states['Update Target Table'].Parameters['QueryString.$']).toContain('MERGE INTO "s3tablescatalog/analytics-tables"."sales"."orders_latest" AS t');
    // S3 maintains the table: no Glue optimizer states, no maintenance role, no general purpose target bucket.
    expect(Object.keys(states).filter((name) => /Maintenance|Compaction|Retention|Orphan/.test(name))).toEqual([]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    // The workflow's role only: no maintenance role.
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  test('gives the role exactly the S3 Tables and Glue permissions on the table bucket, namespace and table, and no general purpose target', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const construct = new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack));

    // THEN
    expect(construct.targetDataLocation).toBeUndefined();
    const template = Template.fromStack(stack);
    const statements: any[] = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);
    expect(bySid('ReadTableBucket')).toEqual({ Sid: 'ReadTableBucket', Effect: 'Allow', Action: 's3tables:GetTableBucket', Resource: TABLE_BUCKET_ARN });
    expect(bySid('CreateTargetInNamespace')).toEqual({
      Sid: 'CreateTargetInNamespace',
      Effect: 'Allow',
      Action: ['s3tables:GetNamespace', 's3tables:CreateTable'],
      Resource: TABLE_BUCKET_ARN,
      Condition: { StringEquals: { 's3tables:namespace': 'sales' } },
    });
    expect(bySid('ReadWriteTargetS3Table')).toEqual({
      Sid: 'ReadWriteTargetS3Table',
      Effect: 'Allow',
      Action: ['s3tables:GetTable', 's3tables:GetTableMetadataLocation', 's3tables:UpdateTableMetadataLocation', 's3tables:GetTableData', 's3tables:PutTableData'],
      Resource: `${TABLE_BUCKET_ARN}/table/*`,
      Condition: { StringEquals: { 's3tables:namespace': 'sales', 's3tables:tableName': 'orders_latest' } },
    });
    expect(bySid('ReadWriteTargetTableInS3TablesCatalog')).toEqual({
      Sid: 'ReadWriteTargetTableInS3TablesCatalog',
      Effect: 'Allow',
      Action: ['glue:GetCatalog', 'glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'],
      Resource: [
        glueArn('catalog/s3tablescatalog'),
        glueArn('catalog/s3tablescatalog/analytics-tables'),
        glueArn('database/s3tablescatalog/analytics-tables/sales'),
        glueArn('table/s3tablescatalog/analytics-tables/sales/orders_latest'),
      ],
    });
    expect(bySid('ReadWriteTargetTable')).toBeUndefined();
    // Get Target Table's own grant (GetTable on the same four ARNs) is merged into it.
    expect(statements.filter((statement) => [statement.Action].flat().includes('glue:GetTable') && JSON.stringify(statement).includes('s3tablescatalog')))
      .toEqual([bySid('ReadWriteTargetTableInS3TablesCatalog')]);
    // Nothing deletes, and no s3tables action is allowed on every table of the bucket unconditionally.
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action: string) => /^(s3tables|glue):Delete/.test(action))).toEqual([]);
    expect(statements.filter((statement) => [statement.Resource].flat().includes(`${TABLE_BUCKET_ARN}/table/*`) && !statement.Condition)).toEqual([]);
  });

  test('takes the table bucket of a CfnTableBucket, its name read from the ARN at deploy time', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3tables.CfnTableBucket(stack, 'Tables', { tableBucketName: 'analytics-tables' });

    // WHEN
    new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack, {}, { tableBucketArn: bucket.attrTableBucketArn }));

    // THEN
    const [machine] = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
    const parts = JSON.stringify(machine.Properties.DefinitionString);
    expect(parts).toContain(JSON.stringify({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Tables', 'TableBucketARN'] }] }] }));
  });

  test('does not warn that the create statement has no {{targetLocation}}: S3 Tables places the data', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack));
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('createWithoutTargetLocation'));
  });

  test('warns that an existing workgroup must not encrypt results with SSE-KMS', () => {
    const stack = newStack();
    new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack, { workGroupName: 'analytics-team' }));
    Annotations.fromStack(stack).hasWarning('/Stack/Orders', Match.stringLikeRegexp('The target is an S3 table, and Athena runs no INSERT, UPDATE, DELETE or MERGE on S3 Tables in a workgroup that encrypts query results with SSE-KMS.*cdk-keep-data-up-to-date:s3TablesInExistingWorkGroup'));
  });

  test.each<[string, (stack: ReturnType<typeof newStack>) => Partial<KeepDataUpToDateProps>, RegExp]>([
    ['resultsEncryptionKey is set (the workgroup would encrypt with SSE-KMS)', (stack) => ({ resultsEncryptionKey: new kms.Key(stack, 'Key') }),
      /KeepDataUpToDate 'Stack\/Orders': resultsEncryptionKey cannot be combined with target \(TargetStorage.s3Table\): the workgroup would encrypt results with SSE-KMS/],
    ['icebergMaintenance is true', () => ({ icebergMaintenance: true }), /icebergMaintenance turns on AWS Glue's table optimizers, and target \(TargetStorage.s3Table\) is maintained by S3 itself/],
    ['snapshotRetention is set', () => ({ snapshotRetention: Duration.days(3) }), /snapshotRetention configures the Glue table optimizers/],
    ['targetDataLocation is set', (stack) => ({ targetDataLocation: { bucket: s3.Bucket.fromBucketName(stack, 'Lake', 'lake') } }), /target and targetDataLocation \(deprecated\) each say where the target lives: set target only/],
    ['the table bucket ARN is not one', () => ({ target: TargetStorage.s3Table({ tableBucketArn: 'arn:aws:s3:::analytics-tables', namespace: 'sales' }) }), /target \(TargetStorage.s3Table: tableBucketArn\) must be a table bucket ARN.*\(cdk-keep-data-up-to-date:InvalidTableBucketArn\)$/],
    ['the namespace has capitals', () => ({ target: TargetStorage.s3Table({ tableBucketArn: TABLE_BUCKET_ARN, namespace: 'Sales' }) }), /target \(TargetStorage.s3Table: namespace\) must be 1 to 255 lower-case letters/],
  ])('fails when %s', (_name, overrides, message) => {
    const stack = newStack();
    expect(() => new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack, overrides(stack)))).toThrow(message);
  });

  test('grants Lake Formation permissions for the sources only: DESCRIBE on the database, SELECT and DESCRIBE on the source, and warns about the target', () => {
    // GIVEN
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack));
    // WHEN
    const grants = construct.grantLakeFormationPermissions();
    // THEN a grant on the database without CREATE_TABLE (the target is created in the table bucket's catalog) and one on the source
    const template = Template.fromStack(stack).toJSON();
    const principalPermissions = Object.values(template.Resources as Record<string, any>)
      .filter((resource) => resource.Type === 'AWS::LakeFormation::PrincipalPermissions')
      .map((resource) => ({ resource: resource.Properties.Resource, permissions: resource.Properties.Permissions }));
    expect(grants.principalPermissions).toHaveLength(2);
    expect(principalPermissions).toEqual([
      { resource: { Database: { CatalogId: '111122223333', Name: 'analytics' } }, permissions: ['DESCRIBE'] },
      { resource: { Table: { CatalogId: '111122223333', DatabaseName: 'analytics', Name: 'orders' } }, permissions: ['SELECT', 'DESCRIBE'] },
    ]);
    Annotations.fromStack(stack).hasWarning('/Stack/Orders/LakeFormationPermissions',
      Match.stringLikeRegexp('in the catalog <account>:s3tablescatalog/<bucket>, which a CloudFormation grant cannot name.*DESCRIBE and CREATE_TABLE on the namespace.*cdk-keep-data-up-to-date:s3TablesTargetNeedsLakeFormationGrant'));
  });

  test.each([
    [{ targetTableExists: true }, /targetTableExists cannot be combined with an S3 table target \(TargetStorage.s3Table\)/],
    [{ targetLocationRegistered: true }, /targetLocationRegistered cannot be combined with an S3 table target \(TargetStorage.s3Table\)/],
  ])('refuses Lake Formation grants on the target (%j): a CloudFormation grant cannot name its catalog', (options, message) => {
    const stack = newStack();
    const construct = new KeepDataUpToDate(stack, 'Orders', s3TableProps(stack));
    expect(() => construct.grantLakeFormationPermissions(options)).toThrow(message);
  });
});
