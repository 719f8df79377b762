import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { DataLocation } from './data-location';
import { PropError, withConstructPath } from './private/errors';

/**
 * Options for the Lake Formation grants of a `KeepDataUpToDate` workflow.
 */
export interface LakeFormationGrantOptions {
  /**
   * The target table exists already, created by someone other than the workflow's role, so the
   * role needs grants on it.
   *
   * When the workflow creates the table itself, Lake Formation makes the role the table's
   * creator, with every permission on it, and a grant on a table that does not exist yet fails
   * to deploy.
   *
   * @default false
   */
  readonly targetTableExists?: boolean;

  /**
   * The target data location is registered with Lake Formation, so creating a table there
   * needs a data location grant.
   *
   * A data location grant on a location that is not registered fails to deploy.
   *
   * @default false
   */
  readonly targetLocationRegistered?: boolean;
}

/**
 * Properties of `LakeFormationPermissions`.
 */
export interface LakeFormationPermissionsProps extends LakeFormationGrantOptions {
  /**
   * The role the grants are for.
   */
  readonly role: iam.IRole;

  /**
   * The database that holds the source tables and the target table.
   */
  readonly databaseName: string;

  /**
   * The tables the queries read.
   */
  readonly sourceTableNames: string[];

  /**
   * The table the queries create and add rows to.
   */
  readonly targetTableName: string;

  /**
   * Where the target table's data lives. Needed when `targetLocationRegistered` is set.
   *
   * @default - no data location grant
   */
  readonly targetDataLocation?: DataLocation;
}

/** What a principal needs on the database: see it, and create the target table in it. */
const LAKE_FORMATION_DATABASE_PERMISSIONS = ['DESCRIBE', 'CREATE_TABLE'];
/** What a principal needs on a source table to read it. */
const LAKE_FORMATION_SOURCE_TABLE_PERMISSIONS = ['SELECT', 'DESCRIBE'];
/** What a principal needs on an existing target table to read it, add rows and register partitions. */
const LAKE_FORMATION_TARGET_TABLE_PERMISSIONS = ['SELECT', 'INSERT', 'DESCRIBE', 'ALTER'];

/**
 * The Lake Formation grants that a `KeepDataUpToDate` workflow's role needs where the data lake
 * uses Lake Formation permissions: `DESCRIBE` and `CREATE_TABLE` on the database, `SELECT` and
 * `DESCRIBE` on each source table, and, when asked for, `SELECT`, `INSERT`, `DESCRIBE` and
 * `ALTER` on an existing target table and `DATA_LOCATION_ACCESS` on a registered target location.
 *
 * Nothing is granted with the grant option. The stack must be deployed by a principal allowed
 * to grant these permissions (a data lake administrator, or a holder of them with the grant option).
 */
export class LakeFormationPermissions extends Construct {
  /** The grants, one per Lake Formation resource. */
  public readonly principalPermissions: lakeformation.CfnPrincipalPermissions[] = [];

  constructor(scope: Construct, id: string, props: LakeFormationPermissionsProps) {
    super(scope, id);

    // CloudFormation takes the Data Catalog's ID, which is the account that owns it.
    const catalogId = Stack.of(this).account;
    const grant = (grantId: string, resource: lakeformation.CfnPrincipalPermissions.ResourceProperty, permissions: string[]) => {
      this.principalPermissions.push(new lakeformation.CfnPrincipalPermissions(this, grantId, {
        catalog: catalogId,
        principal: { dataLakePrincipalIdentifier: props.role.roleArn },
        resource,
        permissions,
        permissionsWithGrantOption: [],
      }));
    };

    grant('Database', { database: { catalogId, name: props.databaseName } }, LAKE_FORMATION_DATABASE_PERMISSIONS);
    props.sourceTableNames.forEach((name, i) => {
      // Keyed by name, so that reordering the list does not replace (and so revoke) a grant.
      grant(Token.isUnresolved(name) ? `SourceTable${i}` : `SourceTable-${name}`,
        { table: { catalogId, databaseName: props.databaseName, name } },
        LAKE_FORMATION_SOURCE_TABLE_PERMISSIONS);
    });
    if (props.targetTableExists) {
      grant('TargetTable',
        { table: { catalogId, databaseName: props.databaseName, name: props.targetTableName } },
        LAKE_FORMATION_TARGET_TABLE_PERMISSIONS);
    }
    if (props.targetLocationRegistered) {
      const location = props.targetDataLocation ?? withConstructPath(this, (): never => {
        throw new PropError('targetLocationRegistered needs targetDataLocation, the location to grant DATA_LOCATION_ACCESS on');
      });
      grant('TargetLocation',
        { dataLocation: { catalogId, resourceArn: dataLocationArn(location) } },
        ['DATA_LOCATION_ACCESS']);
    }
  }
}

/** Lake Formation names a location by its S3 ARN, without a trailing `/`. */
function dataLocationArn(location: DataLocation): string {
  const prefix = location.prefix ?? '';
  if (prefix === '') return location.bucket.bucketArn;
  return `${location.bucket.bucketArn}/${Token.isUnresolved(prefix) ? prefix : prefix.replace(/\/+$/, '')}`;
}
