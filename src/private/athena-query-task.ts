import { Aws } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface AthenaQueryTaskProps extends sfn.TaskStateBaseProps {
  /** The SQL statement, placeholders already substituted. */
  readonly queryString: string;
  /** The workgroup the query runs in. */
  readonly workGroupName: string;
  /** The database that unqualified table names refer to. */
  readonly databaseName: string;
  /**
   * Where results go when the workgroup does not enforce its own location.
   * @default - the workgroup's result location
   */
  readonly outputLocation?: string;
  /**
   * A JSONPath expression or intrinsic function that yields the values of the query's `?`
   * parameters, in order.
   * @default - the query has no parameters
   */
  readonly executionParameters?: string;
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
        QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: props.databaseName },
        ResultConfiguration: props.outputLocation ? { OutputLocation: props.outputLocation } : undefined,
        ExecutionParameters: props.executionParameters ? sfn.JsonPath.stringAt(props.executionParameters) : undefined,
      }, sfn.QueryLanguage.JSON_PATH),
    };
  }
}
