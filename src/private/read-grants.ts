import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { glueTableArns } from './glue-arns';
import { acknowledgeGrantWildcards, acknowledgeS3TablesTableWildcard } from './nag-acknowledgements';
import { GLUE_READ_TABLE_ACTIONS } from './permissions';
import { ResolvedS3TablesTarget, s3TablesGlueArns } from './s3-tables';
import { DataLocation } from '../data-location';

/** The S3 Tables actions that read a table's metadata and data, and none that writes. */
const S3_TABLES_READ_ACTIONS = ['s3tables:GetTable', 's3tables:GetTableMetadataLocation', 's3tables:GetTableData'];

/** What a reader of the target table may touch: its catalog entry and its data, nothing else. */
export interface TargetTable {
  readonly databaseName: string;
  readonly targetTableName: string;
  /** The target's S3 location; undefined for an S3 table. */
  readonly dataLocation?: DataLocation;
  /** The target's table bucket namespace, for an S3 table. */
  readonly s3Table?: ResolvedS3TablesTarget;
}

/**
 * Read access to exactly the target table: Glue reads of its database and table, and the objects
 * under its prefix (the bucket's own grant, which adds the key's decrypt when the bucket names a
 * customer managed key); for an S3 table, the S3 Tables reads held to the table by conditions.
 */
export function grantReadTargetTable(scope: IConstruct, grantee: iam.IGrantable, table: TargetTable): iam.Grant {
  const s3Table = table.s3Table;
  if (s3Table) {
    const tables = `${s3Table.tableBucketArn}/table/*`;
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: S3_TABLES_READ_ACTIONS,
      resourceArns: [tables],
      conditions: { StringEquals: { 's3tables:namespace': s3Table.namespace, 's3tables:tableName': table.targetTableName } },
    }).combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetCatalog', 'glue:GetDatabase', 'glue:GetTable'],
      resourceArns: s3TablesGlueArns(scope, s3Table, table.targetTableName),
    }));
    if (grantee.grantPrincipal instanceof iam.Role) {
      acknowledgeS3TablesTableWildcard(grantee.grantPrincipal, tables, s3Table.namespace, table.targetTableName);
    }
    return grant;
  }
  const arns = glueTableArns(scope, table.databaseName, table.targetTableName);
  const location = table.dataLocation!;
  const objects = location.bucket.grantRead(grantee, `${location.prefix ?? ''}*`);
  if (grantee.grantPrincipal instanceof iam.Role) {
    acknowledgeGrantWildcards(grantee.grantPrincipal, objects.principalStatements,
      [{ purpose: 'the target table\'s data', bucket: location.bucket, prefix: location.prefix ?? '' }]);
  }
  return iam.Grant.addToPrincipal({ grantee, actions: ['glue:GetDatabase'], resourceArns: arns.slice(0, 2) })
    .combine(iam.Grant.addToPrincipal({ grantee, actions: GLUE_READ_TABLE_ACTIONS, resourceArns: arns }))
    .combine(objects);
}
