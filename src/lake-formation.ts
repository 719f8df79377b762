import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { DataLocation } from './data-location';
import { fail } from './private/errors';
import { acknowledgeActionsOnAnyResource } from './private/nag-acknowledgements';

/**
 * Options for the Lake Formation grants of a `KeepDataUpToDate` workflow.
 */
export interface LakeFormationGrantOptions {
  /**
   * The target table exists already, created by someone other than the workflow's role, so the
   * role needs grants on it. For an Iceberg target with table maintenance, set it once the first
   * execution has created the table: the optimizers' role (`maintenanceRole`) then gets its grants
   * on the table, which cannot be made before the table exists.
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
   * The role the Glue table optimizers of an Iceberg target run as (`KeepDataUpToDate.maintenanceRole`).
   * With `targetTableExists`, it gets `ALTER`, `DESCRIBE`, `INSERT` and `DELETE` on the target
   * table, and the IAM action `lakeformation:GetDataAccess`.
   *
   * @default - no grants for table maintenance
   */
  readonly maintenanceRole?: iam.IRole;

  /**
   * Where the target table's data lives. Needed when `targetLocationRegistered` is set.
   *
   * @default - no data location grant
   */
  readonly targetDataLocation?: DataLocation;

  /**
   * The target table is in an S3 table bucket (`TargetQueries.mergeNewerRowsIntoS3Table`), in the
   * catalog `<account>:s3tablescatalog/<bucket>`, not in `databaseName`. The grants are then for
   * the sources only: `DESCRIBE` on the database, and `SELECT` and `DESCRIBE` on each source table.
   *
   * CloudFormation's grant (`AWS::LakeFormation::PrincipalPermissions`) names its catalog by an
   * account ID, exactly 12 characters, so it cannot name a table bucket's catalog. Where Lake
   * Formation governs that catalog, grant the role `DESCRIBE` and `CREATE_TABLE` on the namespace
   * there yourself; the stack warns (`s3TablesTargetNeedsLakeFormationGrant`).
   * `targetTableExists`, `targetLocationRegistered` and `maintenanceRole` do not apply to it.
   *
   * @default false
   */
  readonly targetInS3Tables?: boolean;
}

/** What a principal needs on the database: see it, and create the target table in it. */
const LAKE_FORMATION_DATABASE_PERMISSIONS = ['DESCRIBE', 'CREATE_TABLE'];
/** What a principal needs on the database when the target is in another catalog: see it. */
const LAKE_FORMATION_SOURCE_DATABASE_PERMISSIONS = ['DESCRIBE'];
/** What a principal needs on a source table to read it. */
const LAKE_FORMATION_SOURCE_TABLE_PERMISSIONS = ['SELECT', 'DESCRIBE'];
/** What a principal needs on an existing target table to read it, add rows and register partitions. */
const LAKE_FORMATION_TARGET_TABLE_PERMISSIONS = ['SELECT', 'INSERT', 'DESCRIBE', 'ALTER'];
/**
 * What the Glue table optimizers' role needs on a target table governed by Lake Formation: "the
 * role requires Lake Formation ALTER, DESCRIBE, INSERT and DELETE permissions on the table"
 * (https://docs.aws.amazon.com/glue/latest/dg/optimization-prerequisites.html).
 */
const LAKE_FORMATION_MAINTENANCE_PERMISSIONS = ['ALTER', 'DESCRIBE', 'INSERT', 'DELETE'];

/**
 * The Lake Formation grants that a `KeepDataUpToDate` workflow's role needs where the data lake
 * uses Lake Formation permissions: `DESCRIBE` and `CREATE_TABLE` on the database, `SELECT` and
 * `DESCRIBE` on each source table, and, when asked for, `SELECT`, `INSERT`, `DESCRIBE` and
 * `ALTER` on an existing target table and `DATA_LOCATION_ACCESS` on a registered target location.
 * For an existing Iceberg target with table maintenance, the optimizers' role gets `ALTER`,
 * `DESCRIBE`, `INSERT` and `DELETE` on the target table.
 *
 * Nothing is granted with the grant option. The stack must be deployed by a principal allowed
 * to grant these permissions (a data lake administrator, or a holder of them with the grant option).
 */
export class LakeFormationPermissions extends Construct {
  /** The grants, one per Lake Formation resource. */
  public readonly principalPermissions: lakeformation.CfnPrincipalPermissions[] = [];

  private readonly props: LakeFormationPermissionsProps;
  private maintenanceAccessGranted = false;

  constructor(scope: Construct, id: string, props: LakeFormationPermissionsProps) {
    super(scope, id);
    this.props = props;

    if (props.targetInS3Tables) {
      Annotations.of(this).addWarningV2('cdk-keep-data-up-to-date:s3TablesTargetNeedsLakeFormationGrant',
        'The target is an S3 table, in the catalog <account>:s3tablescatalog/<bucket>, which a CloudFormation grant cannot name: the grants here are for the sources only. Where Lake Formation governs the table bucket\'s catalog, grant the workflow\'s role DESCRIBE and CREATE_TABLE on the namespace there yourself (aws lakeformation grant-permissions); where it uses IAM access control, the role\'s IAM policy is all it needs.');
    }
    this.grant('Database', { database: { catalogId: this.catalogId, name: props.databaseName } },
      props.targetInS3Tables ? LAKE_FORMATION_SOURCE_DATABASE_PERMISSIONS : LAKE_FORMATION_DATABASE_PERMISSIONS);
    props.sourceTableNames.forEach((name, i) => {
      // Keyed by name, so that reordering the list does not replace (and so revoke) a grant.
      this.grant(Token.isUnresolved(name) ? `SourceTable${i}` : `SourceTable-${name}`,
        { table: { catalogId: this.catalogId, databaseName: props.databaseName, name } },
        LAKE_FORMATION_SOURCE_TABLE_PERMISSIONS);
    });
    this.addGrants(props);
  }

  /**
   * Adds the grants that `options` ask for and this construct does not hold yet; grants it holds
   * stay as they are.
   */
  public addGrants(options: LakeFormationGrantOptions): void {
    const props = this.props;
    if (props.targetInS3Tables) this.refuseTargetGrantsInS3Tables(options);
    const targetTable = { table: { catalogId: this.catalogId, databaseName: props.databaseName, name: props.targetTableName } };
    if (options.targetTableExists) {
      this.grant('TargetTable', targetTable, LAKE_FORMATION_TARGET_TABLE_PERMISSIONS);
    }
    if (props.maintenanceRole) this.grantMaintenance(props.maintenanceRole, options.targetTableExists === true, targetTable);
    if (options.targetLocationRegistered) {
      const location = props.targetDataLocation ?? fail(this, 'InvalidLakeFormationOptions',
        'targetLocationRegistered needs targetDataLocation, the location to grant DATA_LOCATION_ACCESS on');
      this.grant('TargetLocation',
        { dataLocation: { catalogId: this.catalogId, resourceArn: dataLocationArn(location) } },
        ['DATA_LOCATION_ACCESS']);
    }
  }

  /** The Data Catalog's ID, which CloudFormation takes as the account that owns it. */
  private get catalogId(): string {
    return Stack.of(this).account;
  }

  /** One grant to `principalArn` (the workflow's role unless given), made once whatever the number of calls. */
  private grant(grantId: string, resource: lakeformation.CfnPrincipalPermissions.ResourceProperty, permissions: string[],
    principalArn?: string): void {
    if (this.node.tryFindChild(grantId)) return;
    this.principalPermissions.push(new lakeformation.CfnPrincipalPermissions(this, grantId, {
      catalog: this.catalogId,
      principal: { dataLakePrincipalIdentifier: principalArn ?? this.props.role.roleArn },
      resource,
      permissions,
      permissionsWithGrantOption: [],
    }));
  }

  /**
   * A target in a table bucket's catalog gets no grant here: a CloudFormation grant cannot name
   * that catalog (see docs/athena-rules.md rule 18).
   */
  private refuseTargetGrantsInS3Tables(options: LakeFormationGrantOptions): void {
    const targetOptions = [
      options.targetTableExists && 'targetTableExists',
      options.targetLocationRegistered && 'targetLocationRegistered',
      this.props.maintenanceRole && 'maintenanceRole',
    ].filter((name): name is string => typeof name === 'string');
    if (targetOptions.length > 0) {
      fail(this, 'InvalidLakeFormationOptions', `${targetOptions.join(' and ')} cannot be combined with an S3 table target (TargetStorage.s3Table): its table is in the catalog <account>:s3tablescatalog/<bucket>, which a CloudFormation grant cannot name`);
    }
  }

  /**
   * The optimizers' role reads and writes the target's data through Lake Formation, so it needs
   * `lakeformation:GetDataAccess` (which has no resource type), and the table grant. A grant on a
   * table that does not exist yet fails to deploy: before the first execution has created the
   * table, the stack warns instead, and a later call with `targetTableExists` withdraws the warning.
   */
  private grantMaintenance(role: iam.IRole, tableExists: boolean, targetTable: lakeformation.CfnPrincipalPermissions.ResourceProperty): void {
    if (!this.maintenanceAccessGranted) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'LakeFormationDataAccess',
        actions: ['lakeformation:GetDataAccess'],
        resources: ['*'],
      }));
      if (role instanceof iam.Role) acknowledgeActionsOnAnyResource(role);
      this.maintenanceAccessGranted = true;
    }
    const warning = 'cdk-keep-data-up-to-date:maintenanceRoleNeedsTableGrant';
    if (tableExists) {
      this.grant('MaintenanceTargetTable', targetTable, LAKE_FORMATION_MAINTENANCE_PERMISSIONS, role.roleArn);
      Annotations.of(this).acknowledgeWarning(warning, 'targetTableExists: the maintenance role is granted on the target table');
      return;
    }
    if (this.node.tryFindChild('MaintenanceTargetTable')) return;
    Annotations.of(this).addWarningV2(warning,
      'maintenanceRole gets its Lake Formation permissions on the target table (ALTER, DESCRIBE, INSERT, DELETE) only once the table exists: after the first execution has created it, deploy again with targetTableExists: true, or the Glue table optimizers\' runs fail. The load itself is unaffected.');
  }
}

/** Lake Formation names a location by its S3 ARN, without a trailing `/`. */
function dataLocationArn(location: DataLocation): string {
  const prefix = location.prefix ?? '';
  if (prefix === '') return location.bucket.bucketArn;
  return `${location.bucket.bucketArn}/${Token.isUnresolved(prefix) ? prefix : prefix.replace(/\/+$/, '')}`;
}
