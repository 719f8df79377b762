import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeepDataUpToDate, KeepDataUpToDateProps, LakeFormationPermissions } from '../src';

const QUERIES = {
  createTargetQuery: 'CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = \'{{targetLocation}}\') AS SELECT * FROM sales',
  updateTargetQuery: 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM sales',
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
      targetDataLocation: { bucket: s3.Bucket.fromBucketName(stack, 'Lake', 'curated-lake'), prefix: 'curated/daily_sales/' },
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
