import { Aws } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Where a query's results go and how they are encrypted, sent with every query. */
export interface QueryResultConfiguration {
  /** The `s3://` URI of the results prefix. */
  readonly outputLocation: string;
  /** The ARN of the KMS key that encrypts the results (SSE-KMS). @default - SSE-S3 */
  readonly kmsKeyArn?: string;
  /**
   * Whether to send the encryption too. A workgroup that does not enforce its configuration uses
   * the client's settings, and with none, its own.
   * @default true
   */
  readonly sendEncryption?: boolean;
}

export interface AthenaQueryTaskProps extends sfn.TaskStateBaseProps {
  /**
   * The SQL statement, placeholders already substituted, or a JSONPath expression that builds it
   * during the execution (`sfn.JsonPath.format(...)`).
   */
  readonly queryString: string;
  /** The workgroup the query runs in. */
  readonly workGroupName: string;
  /** The database that unqualified table names refer to. */
  readonly databaseName: string;
  /**
   * The catalog `databaseName` is in, e.g. `s3tablescatalog/<bucket>` for a namespace of an S3
   * table bucket.
   * @default 'AwsDataCatalog'
   */
  readonly catalogName?: string;
  /**
   * Where results go, sent with the query. A workgroup that enforces its configuration overrides
   * it (see docs/athena-rules.md rule 2).
   * @default - the workgroup's result configuration
   */
  readonly resultConfiguration?: QueryResultConfiguration;
}

/**
 * Runs one Athena query and waits for it (`athena:startQueryExecution.sync`).
 *
 * aws-cdk-lib's AthenaStartQueryExecution grants S3 actions on `*` and Glue delete actions on
 * every table of the database; this task grants nothing, and the construct writes a policy
 * scoped to the tables, locations and workgroup involved.
 */
export class AthenaQueryTask extends sfn.TaskStateBase {
  protected readonly taskMetrics = undefined;
  protected readonly taskPolicies = undefined;

  constructor(scope: Construct, id: string, private readonly queryProps: AthenaQueryTaskProps) {
    super(scope, id, queryProps);
  }

  protected _renderTask(): any {
    const props = this.queryProps;
    return {
      Resource: `arn:${Aws.PARTITION}:states:::athena:startQueryExecution.sync`,
      ...this._renderParametersOrArguments({
        QueryString: props.queryString,
        WorkGroup: props.workGroupName,
        QueryExecutionContext: { Catalog: props.catalogName ?? 'AwsDataCatalog', Database: props.databaseName },
        ResultConfiguration: props.resultConfiguration && renderResultConfiguration(props.resultConfiguration),
      }, sfn.QueryLanguage.JSON_PATH),
    };
  }
}

function renderResultConfiguration(config: QueryResultConfiguration) {
  return {
    OutputLocation: config.outputLocation,
    EncryptionConfiguration: (config.sendEncryption ?? true)
      ? (config.kmsKeyArn ? { EncryptionOption: 'SSE_KMS', KmsKey: config.kmsKeyArn } : { EncryptionOption: 'SSE_S3' })
      : undefined,
  };
}
