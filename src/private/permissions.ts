import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { workGroupArn } from './athena-arns';
import { glueTableArns } from './glue-arns';
import { acknowledgeGrantWildcards, NamedLocation } from './nag-acknowledgements';
import { DataLocation } from '../data-location';

export interface QueryPermissionsProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  readonly sourceTableNames: string[];
  /** Where the target's data lives; none for an S3 Tables target, whose permissions `grantS3TablesTarget` gives. */
  readonly targetDataLocation?: DataLocation;
  readonly sourceDataLocations: DataLocation[];
  readonly resultsLocation: DataLocation;
  readonly workGroupName: string;
  /** The key the workgroup encrypts query results with, when it is a customer managed key. */
  readonly resultsEncryptionKey?: kms.IKey;
}

/**
 * What `athena:startQueryExecution.sync` calls: Step Functions starts the query, polls it
 * and stops it when the execution is stopped. The workflow never reads result rows, so
 * `athena:GetQueryResults` is left out.
 */
export const ATHENA_QUERY_ACTIONS = ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'];

/** Glue actions that Athena calls to plan a query over a table: the table and its partitions. */
export const GLUE_READ_TABLE_ACTIONS = ['glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'];

/**
 * What CTAS and INSERT INTO do to the target table beyond reading it: CTAS creates it (and
 * registers its partitions), INSERT INTO adds partitions and updates the table and partition
 * statistics. No action here removes anything.
 */
export const GLUE_WRITE_TARGET_ACTIONS = [
  'glue:CreateTable',
  'glue:UpdateTable',
  'glue:CreatePartition',
  'glue:BatchCreatePartition',
  'glue:UpdatePartition',
];

/** The key actions Athena needs to write SSE-KMS query results and read them back. */
export const RESULTS_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * Gives the workflow's role exactly what its Athena queries need: the one workgroup, the
 * database, read access to the source tables and their data, read/write access to the target
 * table, its data and the query results. Nothing may be deleted.
 */
export function grantQueryPermissions(scope: Construct, role: iam.IRole, props: QueryPermissionsProps): void {
  const stack = Stack.of(scope);

  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'RunQueriesInWorkGroup',
    actions: ATHENA_QUERY_ACTIONS,
    resources: [workGroupArn(scope, props.workGroupName)],
  }));
  // The queries name the catalog in their execution context; Athena checks this action on it.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadDataCatalog',
    actions: ['athena:GetDataCatalog'],
    resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
  }));
  // The execution context names the database, so Athena looks it up (not the `default` one).
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadDatabase',
    actions: ['glue:GetDatabase'],
    resources: glueTableArns(scope, props.databaseName, props.targetTableName).slice(0, 2),
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadSourceTables',
    actions: GLUE_READ_TABLE_ACTIONS,
    resources: dedupe(props.sourceTableNames.flatMap((name) => glueTableArns(scope, props.databaseName, name))),
  }));
  if (props.targetDataLocation) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadWriteTargetTable',
      actions: [...GLUE_READ_TABLE_ACTIONS, ...GLUE_WRITE_TARGET_ACTIONS],
      resources: glueTableArns(scope, props.databaseName, props.targetTableName),
    }));
  }
  // Lake Formation vends credentials for registered locations through this action, which has no
  // resource-level permissions: AWS only accepts `*` here. Where Lake Formation is not used it
  // grants nothing; where it is, Lake Formation's own grants decide what the role may read.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'LakeFormationDataAccess',
    actions: ['lakeformation:GetDataAccess'],
    resources: ['*'],
  }));

  // The buckets' own grant methods add the key actions when a bucket names its customer managed
  // key. `s3:List*` on the bucket lets Athena list a table's files and lets CTAS check that the
  // target location is empty; object actions stay under the prefix.
  const locations: NamedLocation[] = [
    ...props.sourceDataLocations.map((location) => named('a source table\'s data', location)),
    ...(props.targetDataLocation ? [named('the target table\'s data', props.targetDataLocation)] : []),
    named('the query results', props.resultsLocation),
  ];
  const grants: iam.Grant[] = [];
  for (const source of props.sourceDataLocations) {
    grants.push(source.bucket.grantRead(role, objectsPattern(source)));
  }
  for (const readWrite of [props.targetDataLocation, props.resultsLocation].filter((location): location is DataLocation => !!location)) {
    grants.push(readWrite.bucket.grantRead(role, objectsPattern(readWrite)));
    grants.push(readWrite.bucket.grantPut(role, objectsPattern(readWrite)));
  }
  props.resultsEncryptionKey?.grant(role, ...RESULTS_KEY_ACTIONS);
  acknowledgeGrantWildcards(role, grants.flatMap((grant) => grant.principalStatements), locations);
}

function named(purpose: string, location: DataLocation): NamedLocation {
  return { purpose, bucket: location.bucket, prefix: location.prefix ?? '' };
}

function objectsPattern(location: DataLocation): string {
  return `${location.prefix ?? ''}*`;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
