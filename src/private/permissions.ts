import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { glueTableArns } from './glue-arns';
import { DataLocation } from '../data-location';

export interface QueryPermissionsProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  readonly sourceTableNames: string[];
  readonly targetDataLocation: DataLocation;
  readonly sourceDataLocations: DataLocation[];
  readonly resultsLocation: DataLocation;
  readonly workGroupName: string;
  /** The key the workgroup encrypts query results with, when it is a customer managed key. */
  readonly resultsEncryptionKey?: kms.IKey;
}

/** Glue actions that read a table and its partitions. */
const GLUE_READ = ['glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'];
/** What Athena's CTAS and INSERT INTO do to the target table: create it, then add partitions. */
const GLUE_WRITE_TARGET = [
  'glue:CreateTable',
  'glue:UpdateTable',
  'glue:CreatePartition',
  'glue:BatchCreatePartition',
  'glue:UpdatePartition',
];

/**
 * Gives the workflow's role exactly what its Athena queries need: the one workgroup, the
 * database, read access to the source tables and their data, read/write access to the target
 * table, its data and the query results. Nothing may be deleted.
 */
export function grantQueryPermissions(scope: Construct, role: iam.IRole, props: QueryPermissionsProps): void {
  const stack = Stack.of(scope);

  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'RunQueriesInWorkGroup',
    actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'],
    resources: [workGroupArn(scope, props.workGroupName)],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadDataCatalog',
    actions: ['athena:GetDataCatalog'],
    resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadDatabase',
    actions: ['glue:GetDatabase'],
    resources: glueTableArns(scope, props.databaseName, props.targetTableName).slice(0, 2),
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadSourceTables',
    actions: GLUE_READ,
    resources: dedupe(props.sourceTableNames.flatMap((name) => glueTableArns(scope, props.databaseName, name))),
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadWriteTargetTable',
    actions: [...GLUE_READ, ...GLUE_WRITE_TARGET],
    resources: glueTableArns(scope, props.databaseName, props.targetTableName),
  }));
  // Lake Formation vends credentials for registered locations through this action, which has no
  // resource-level permissions: AWS only accepts `*` here. Where Lake Formation is not used it
  // grants nothing.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'LakeFormationDataAccess',
    actions: ['lakeformation:GetDataAccess'],
    resources: ['*'],
  }));

  for (const source of props.sourceDataLocations) {
    source.bucket.grantRead(role, objectsPattern(source));
  }
  for (const readWrite of [props.targetDataLocation, props.resultsLocation]) {
    readWrite.bucket.grantRead(role, objectsPattern(readWrite));
    readWrite.bucket.grantPut(role, objectsPattern(readWrite));
  }
  props.resultsEncryptionKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
}

function workGroupArn(scope: Construct, workGroupName: string): string {
  return Stack.of(scope).formatArn({ service: 'athena', resource: 'workgroup', resourceName: workGroupName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

function objectsPattern(location: DataLocation): string {
  return `${location.prefix ?? ''}*`;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
