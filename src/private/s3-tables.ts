import { ArnFormat, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { acknowledgeS3TablesTableWildcard } from './nag-acknowledgements';
import { validateGlueName } from './validation';
import { S3TablesTarget } from '../s3-tables-target';

/** An S3 Tables target, with the names Athena and Glue know it by. */
export interface ResolvedS3TablesTarget {
  readonly tableBucketArn: string;
  readonly tableBucketName: string;
  readonly namespace: string;
  /**
   * The Glue child catalog of the table bucket, `s3tablescatalog/<bucket>`: the catalog of a
   * query's execution context, and of catalog-qualified names in SQL
   * (https://docs.aws.amazon.com/athena/latest/ug/gdc-register-s3-table-bucket-cat.html).
   */
  readonly catalogName: string;
  /**
   * The `CatalogId` Glue's API takes for it, `<account>:s3tablescatalog/<bucket>`
   * (https://docs.aws.amazon.com/glue/latest/dg/create-databases-tables-s3-catalog.html).
   */
  readonly catalogId: string;
}

/** A table bucket ARN: `arn:<partition>:s3tables:<region>:<account>:bucket/<name>`. */
const TABLE_BUCKET_ARN = /^arn:[a-z-]+:s3tables:[a-z0-9-]+:\d{12}:bucket\/([a-z0-9-]{3,63})$/;

/** The names of an S3 Tables target; the bucket's name is read from its ARN, which may be a token. */
export function resolveS3TablesTarget(scope: IConstruct, target: S3TablesTarget): ResolvedS3TablesTarget {
  validateGlueName(scope, 'target (TargetStorage.s3Table: namespace)', target.namespace);
  let tableBucketName: string;
  if (Token.isUnresolved(target.tableBucketArn)) {
    tableBucketName = Fn.select(1, Fn.split('/', target.tableBucketArn));
  } else {
    const match = TABLE_BUCKET_ARN.exec(target.tableBucketArn);
    if (!match) {
      fail(scope, 'InvalidTableBucketArn', `target (TargetStorage.s3Table: tableBucketArn) must be a table bucket ARN, arn:<partition>:s3tables:<region>:<account>:bucket/<name> (got '${target.tableBucketArn}')`);
    }
    tableBucketName = match[1];
  }
  const catalogName = `s3tablescatalog/${tableBucketName}`;
  return {
    tableBucketArn: target.tableBucketArn,
    tableBucketName,
    namespace: target.namespace,
    catalogName,
    catalogId: `${Stack.of(scope).account}:${catalogName}`,
  };
}

/**
 * The Glue ARNs of the target table in the table bucket's child catalog: the `s3tablescatalog`
 * catalog, the bucket's catalog, the namespace (a database) and the table
 * (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html).
 */
export function s3TablesGlueArns(scope: IConstruct, target: ResolvedS3TablesTarget, tableName: string): string[] {
  const stack = Stack.of(scope);
  return [
    stack.formatArn({ service: 'glue', resource: 'catalog', resourceName: 's3tablescatalog' }),
    stack.formatArn({ service: 'glue', resource: 'catalog', resourceName: target.catalogName }),
    stack.formatArn({ service: 'glue', resource: 'database', resourceName: `${target.catalogName}/${target.namespace}` }),
    stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${target.catalogName}/${target.namespace}/${tableName}` }),
  ];
}

/** What the workflow's queries do to the target in Glue: look it up, create it, commit to it. */
export const S3_TABLES_GLUE_ACTIONS = ['glue:GetCatalog', 'glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'];

/** The table actions Athena needs to read and write an S3 table's data and commit a new snapshot. */
export const S3_TABLES_TABLE_ACTIONS = [
  's3tables:GetTable',
  's3tables:GetTableMetadataLocation',
  's3tables:UpdateTableMetadataLocation',
  's3tables:GetTableData',
  's3tables:PutTableData',
];

/**
 * The role's permissions on an S3 Tables target, for IAM access control: Athena's guide lists
 * the `s3tables` actions any DDL or DML needs, "on both AWS Glue Data Catalog resources and
 * Amazon S3 Tables resources" (https://docs.aws.amazon.com/athena/latest/ug/gdc-register-s3-table-bucket-cat.html).
 * Of them the workflow needs no `Delete*`, no `CreateNamespace` and no `List*`. A table's ARN
 * ends in an ID S3 gives it when it is created, so the table actions are held to the one table
 * by the `s3tables:namespace` and `s3tables:tableName` condition keys, which every one of them
 * takes; `CreateTable` and `GetNamespace` are actions on the bucket held to the namespace
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3tables.html).
 * A write updates the table's metadata location, so the S3 guide asks for
 * `GetTableMetadataLocation` and `UpdateTableMetadataLocation` with it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-resource-based-policies.html).
 */
export function grantS3TablesTarget(scope: IConstruct, role: iam.IRole, target: ResolvedS3TablesTarget, tableName: string): void {
  const stack = Stack.of(scope);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadTableBucket',
    actions: ['s3tables:GetTableBucket'],
    resources: [target.tableBucketArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'CreateTargetInNamespace',
    actions: ['s3tables:GetNamespace', 's3tables:CreateTable'],
    resources: [target.tableBucketArn],
    conditions: { StringEquals: { 's3tables:namespace': target.namespace } },
  }));
  const tables = `${target.tableBucketArn}/table/*`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadWriteTargetS3Table',
    actions: S3_TABLES_TABLE_ACTIONS,
    resources: [tables],
    conditions: { StringEquals: { 's3tables:namespace': target.namespace, 's3tables:tableName': tableName } },
  }));
  acknowledgeS3TablesTableWildcard(role, tables, target.namespace, tableName);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadWriteTargetTableInS3TablesCatalog',
    actions: S3_TABLES_GLUE_ACTIONS,
    resources: s3TablesGlueArns(scope, target, tableName),
  }));
  // The create query names the bucket's catalog in its execution context. Whether Athena checks
  // GetDataCatalog on it is not documented; the action only describes the catalog.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadS3TablesDataCatalog',
    actions: ['athena:GetDataCatalog'],
    resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: target.catalogName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
  }));
}
