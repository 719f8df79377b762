import { App, Stack } from 'aws-cdk-lib';
import { Match, Template, Annotations } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeepDataUpToDate, KeepDataUpToDateProps, LakeFormationPermissions, TargetQueries, TargetStorage } from '../src';

const CREATE_TARGET_QUERY = 'CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = \'{{targetLocation}}\') AS SELECT * FROM sales';
const QUERIES = {
  queries: TargetQueries.fromTemplates(CREATE_TARGET_QUERY, 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM sales'),
};
const PRINCIPAL_PERMISSIONS = 'AWS::LakeFormation::PrincipalPermissions';

function newConstruct(props: Partial<KeepDataUpToDateProps> = {}, env = { account: '111122223333', region: 'us-east-1' }) {
  const stack = new Stack(new App(), 'Stack', { env });
  const construct = new KeepDataUpToDate(stack, 'Sales', {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['sales', 'stores'],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'sales-raw'), prefix: 'sales/' }],
    ...QUERIES,
    ...props,
  });
  const roleArn = stack.resolve(construct.role.roleArn);
  return { stack, construct, roleArn };
}

describe('grantLakeFormationPermissions', () => {
  test('grants DESCRIBE and CREATE_TABLE on the database and SELECT and DESCRIBE on each source table, without grant option', () => {
    // GIVEN
    const { stack, construct, roleArn } = newConstruct();
    // WHEN
    const grants = construct.grantLakeFormationPermissions();
    // THEN
    const template = Template.fromStack(stack);
    expect(grants.principalPermissions).toHaveLength(3);
    template.resourceCountIs(PRINCIPAL_PERMISSIONS, 3);
    template.hasResourceProperties(PRINCIPAL_PERMISSIONS, {
      Catalog: '111122223333',
      Principal: { DataLakePrincipalIdentifier: roleArn },
      Resource: { Database: { CatalogId: '111122223333', Name: 'analytics' } },
      Permissions: ['DESCRIBE', 'CREATE_TABLE'],
      PermissionsWithGrantOption: [],
    });
    for (const table of ['sales', 'stores']) {
      template.hasResourceProperties(PRINCIPAL_PERMISSIONS, {
        Catalog: '111122223333',
        Principal: { DataLakePrincipalIdentifier: roleArn },
        Resource: { Table: { CatalogId: '111122223333', DatabaseName: 'analytics', Name: table } },
        Permissions: ['SELECT', 'DESCRIBE'],
        PermissionsWithGrantOption: [],
      });
    }
  });

  test('grants nothing on the target table by default, because the role creates it and owns it', () => {
    const { stack, construct } = newConstruct();
    construct.grantLakeFormationPermissions();
    Template.fromStack(stack).resourcePropertiesCountIs(PRINCIPAL_PERMISSIONS, {
      Resource: { Table: Match.objectLike({ Name: 'daily_sales' }) },
    }, 0);
  });

  test('grants SELECT, INSERT, DESCRIBE and ALTER on a target table that exists already', () => {
    const { stack, construct, roleArn } = newConstruct();
    construct.grantLakeFormationPermissions({ targetTableExists: true });
    Template.fromStack(stack).hasResourceProperties(PRINCIPAL_PERMISSIONS, {
      Principal: { DataLakePrincipalIdentifier: roleArn },
      Resource: { Table: { CatalogId: '111122223333', DatabaseName: 'analytics', Name: 'daily_sales' } },
      Permissions: ['SELECT', 'INSERT', 'DESCRIBE', 'ALTER'],
      PermissionsWithGrantOption: [],
    });
  });

  test('grants DATA_LOCATION_ACCESS on a registered target location, named without a trailing /', () => {
    // GIVEN a target location in an imported bucket
    const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
    const construct = new KeepDataUpToDate(stack, 'Sales', {
      databaseName: 'analytics',
      targetTableName: 'daily_sales',
      sourceTableNames: ['sales'],
      target: TargetStorage.s3({ bucket: s3.Bucket.fromBucketName(stack, 'Lake', 'curated-lake'), prefix: 'curated/daily_sales/' }),
      ...QUERIES,
    });
    // WHEN
    construct.grantLakeFormationPermissions({ targetLocationRegistered: true });
    // THEN
    Template.fromStack(stack).hasResourceProperties(PRINCIPAL_PERMISSIONS, {
      Resource: {
        DataLocation: {
          CatalogId: '111122223333',
          ResourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::curated-lake/curated/daily_sales']] },
        },
      },
      Permissions: ['DATA_LOCATION_ACCESS'],
      PermissionsWithGrantOption: [],
    });
  });

  test('names the location in the bucket the construct creates by the bucket ARN and prefix', () => {
    const { stack, construct } = newConstruct();
    construct.grantLakeFormationPermissions({ targetLocationRegistered: true });
    const bucketArn = stack.resolve(construct.targetDataLocation!.bucket.bucketArn);
    Template.fromStack(stack).hasResourceProperties(PRINCIPAL_PERMISSIONS, {
      Resource: { DataLocation: { CatalogId: '111122223333', ResourceArn: { 'Fn::Join': ['', [bucketArn, '/daily_sales']] } } },
    });
  });

  test('uses the deploying account as the catalog in an environment-agnostic stack', () => {
    const stack = new Stack(new App(), 'Stack');
    const construct = new KeepDataUpToDate(stack, 'Sales', {
      databaseName: 'analytics',
      targetTableName: 'daily_sales',
      sourceTableNames: ['sales'],
      ...QUERIES,
    });
    construct.grantLakeFormationPermissions();
    Template.fromStack(stack).hasResourceProperties(PRINCIPAL_PERMISSIONS, {
      Catalog: { Ref: 'AWS::AccountId' },
      Resource: { Database: { CatalogId: { Ref: 'AWS::AccountId' }, Name: 'analytics' } },
    });
  });

  test('keeps each source table grant\'s logical ID when the list is reordered, so no grant is replaced and revoked', () => {
    const logicalIds = (sourceTableNames: string[]) => {
      const { stack, construct } = newConstruct({ sourceTableNames });
      construct.grantLakeFormationPermissions();
      return Object.keys(Template.fromStack(stack).findResources(PRINCIPAL_PERMISSIONS)).sort();
    };
    expect(logicalIds(['stores', 'sales'])).toEqual(logicalIds(['sales', 'stores']));
  });
});

describe('grantLakeFormationPermissions for an Iceberg target\'s table maintenance', () => {
  const iceberg = () => newConstruct({
    createTargetQuery: undefined,
    updateTargetQuery: undefined,
    queries: TargetQueries.mergeNewerRows({ sourceTableName: 'sales', uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'] }),
    target: TargetStorage.s3({ bucket: s3.Bucket.fromBucketName(new Stack(), 'Lake', 'lake'), prefix: 'daily_sales/' }),
  });
  const maintenanceStatements = (stack: Stack, construct: KeepDataUpToDate) => {
    const policy = construct.maintenanceRole!.node.findChild('DefaultPolicy') as iam.Policy;
    return stack.resolve(policy.document).Statement;
  };

  test('on an existing table, the optimizers\' role gets ALTER, DESCRIBE, INSERT and DELETE on the target table, and GetDataAccess', () => {
    // GIVEN
    const { stack, construct } = iceberg();
    // WHEN
    const grants = construct.grantLakeFormationPermissions({ targetTableExists: true });
    // THEN the table grant is the maintenance role's, without grant option
    const maintenanceRoleArn = stack.resolve(construct.maintenanceRole!.roleArn);
    Template.fromStack(stack).hasResourceProperties(PRINCIPAL_PERMISSIONS, {
      Principal: { DataLakePrincipalIdentifier: maintenanceRoleArn },
      Resource: { Table: { CatalogId: '111122223333', DatabaseName: 'analytics', Name: 'daily_sales' } },
      Permissions: ['ALTER', 'DESCRIBE', 'INSERT', 'DELETE'],
      PermissionsWithGrantOption: [],
    });
    // AND it is the only grant to that role
    expect(grants.principalPermissions).toHaveLength(5); // database, two sources, the workflow's and the optimizers' target grants
    Template.fromStack(stack).resourcePropertiesCountIs(PRINCIPAL_PERMISSIONS, { Principal: { DataLakePrincipalIdentifier: maintenanceRoleArn } }, 1);
    expect(maintenanceStatements(stack, construct)).toContainEqual({ Sid: 'LakeFormationDataAccess', Effect: 'Allow', Action: 'lakeformation:GetDataAccess', Resource: '*' });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('maintenanceRole gets its Lake Formation'));
  });

  test('before the table exists, no table grant can be made: the stack warns, naming targetTableExists', () => {
    const { stack, construct } = iceberg();
    construct.grantLakeFormationPermissions();
    Template.fromStack(stack).resourcePropertiesCountIs(PRINCIPAL_PERMISSIONS, { Resource: { Table: Match.objectLike({ Name: 'daily_sales' }) } }, 0);
    expect(maintenanceStatements(stack, construct)).toContainEqual({ Sid: 'LakeFormationDataAccess', Effect: 'Allow', Action: 'lakeformation:GetDataAccess', Resource: '*' });
    Annotations.fromStack(stack).hasWarning('/Stack/Sales/LakeFormationPermissions', Match.stringLikeRegexp('deploy again with targetTableExists: true.*\\[ack: cdk-keep-data-up-to-date:maintenanceRoleNeedsTableGrant\\]'));
  });

  test('a Hive target has no maintenance role, and so no grant or warning for one', () => {
    const { stack, construct } = newConstruct();
    construct.grantLakeFormationPermissions({ targetTableExists: true });
    expect(construct.maintenanceRole).toBeUndefined();
    Template.fromStack(stack).resourcePropertiesCountIs(PRINCIPAL_PERMISSIONS, { Permissions: Match.arrayWith(['DELETE']) }, 0);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('maintenanceRole'));
  });
});

describe('LakeFormationPermissions', () => {
  test('fails when targetLocationRegistered is set without targetDataLocation', () => {
    const stack = new Stack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    expect(() => new LakeFormationPermissions(stack, 'Grants', {
      role,
      databaseName: 'analytics',
      sourceTableNames: ['sales'],
      targetTableName: 'daily_sales',
      targetLocationRegistered: true,
    })).toThrow(/targetLocationRegistered needs targetDataLocation/);
  });
});
