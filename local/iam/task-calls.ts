import type { AuthorizationRequest } from './policy-evaluator';
import type { PseudoParameters } from '../assembly/cfn-intrinsics';

/** What a Task's call needs to be authorized: the service (for its error's name) and IAM requests. */
export interface TaskCall {
  /** The service prefix Step Functions gives its errors: `Glue`, `Athena`, `DynamoDB` … */
  readonly service: string;
  readonly requests: AuthorizationRequest[];
}


/**
 * The Glue resources a call on a table is authorized against: the catalog, the database and the
 * table; for a table bucket's catalog (`<account>:s3tablescatalog/<bucket>`), its catalog hierarchy
 * (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html).
 */
export function glueTableArns(environment: PseudoParameters, catalogId: string | undefined, database: string, table: string): string[] {
  const { accountId } = environment;
  const arn = arnIn(environment);
  if (catalogId === undefined || catalogId === accountId) {
    return [arn('glue', 'catalog'), arn('glue', `database/${database}`), arn('glue', `table/${database}/${table}`)];
  }
  const catalog = catalogId.split(':')[1] ?? catalogId;
  return [arn('glue', `catalog/${catalog.split('/')[0]}`), arn('glue', `catalog/${catalog}`), arn('glue', `database/${catalog}/${database}`), arn('glue', `table/${catalog}/${database}/${table}`)];
}

function arnIn(environment: PseudoParameters): (service: string, resource: string) => string {
  return (service, resource) => `arn:${environment.partition}:${service}:${environment.region}:${environment.accountId}:${resource}`;
}

function requests(action: string, resources: string[], context?: Record<string, string>): AuthorizationRequest[] {
  return resources.map((resource) => ({ action, resource, context }));
}

/**
 * The IAM requests of a Task's call, from its integration and its input (the IAM actions of the
 * service authorization reference; an SDK call's action is its API name, but where S3 names it
 * otherwise). An integration it does not know authorizes nothing: the handler refuses it anyway.
 */
export function taskCall(
  environment: PseudoParameters, integration: string, input: any, queryWorkGroup: (queryExecutionId: string) => string | undefined,
): TaskCall | undefined {
  const { partition } = environment;
  const arn = arnIn(environment);
  const workGroupArn = (name: string | undefined) => arn('athena', `workgroup/${name ?? 'primary'}`);
  const tableArns = (catalogId: string | undefined, database: string, table: string) => glueTableArns(environment, catalogId, database, table);
  switch (integration) {
    case 'aws-sdk:glue:getTable':
      return { service: 'Glue', requests: requests('glue:GetTable', tableArns(input.CatalogId, input.DatabaseName, input.Name)) };
    case 'aws-sdk:glue:createTableOptimizer':
    case 'aws-sdk:glue:getTableOptimizer':
    case 'aws-sdk:glue:updateTableOptimizer': {
      const api = integration.split(':')[2];
      const action = `glue:${api[0].toUpperCase()}${api.slice(1)}`;
      const passRole = input.TableOptimizerConfiguration?.RoleArn;
      return {
        service: 'Glue',
        requests: [
          ...requests(action, tableArns(input.CatalogId, input.DatabaseName, input.TableName)),
          // Glue runs the optimizer as the role the call names: the caller passes it.
          ...(passRole ? requests('iam:PassRole', [passRole], { 'iam:PassedToService': 'glue.amazonaws.com' }) : []),
        ],
      };
    }
    case 'athena:startQueryExecution.sync': {
      // The .sync integration starts the query and polls it (https://docs.aws.amazon.com/step-functions/latest/dg/athena-iam.html).
      const workGroup = workGroupArn(input.WorkGroup);
      const catalog = input.QueryExecutionContext?.Catalog;
      return {
        service: 'Athena',
        requests: [
          ...requests('athena:StartQueryExecution', [workGroup]),
          ...requests('athena:GetQueryExecution', [workGroup]),
          ...(catalog ? requests('athena:GetDataCatalog', [arn('athena', `datacatalog/${catalog}`)]) : []),
        ],
      };
    }
    case 'athena:getQueryResults':
    case 'aws-sdk:athena:getQueryResults':
      return { service: 'Athena', requests: requests('athena:GetQueryResults', [workGroupArn(queryWorkGroup(input.QueryExecutionId))]) };
    case 'aws-sdk:sfn:listExecutions':
      return { service: 'Sfn', requests: requests('states:ListExecutions', [input.StateMachineArn]) };
    case 'aws-sdk:sfn:describeExecution':
      return { service: 'Sfn', requests: requests('states:DescribeExecution', [input.ExecutionArn]) };
    case 'dynamodb:updateItem':
    case 'dynamodb:getItem':
      return { service: 'DynamoDB', requests: requests(`dynamodb:${integration.endsWith('updateItem') ? 'UpdateItem' : 'GetItem'}`, [arn('dynamodb', `table/${input.TableName}`)]) };
    case 'aws-sdk:cloudwatch:putMetricData':
      return { service: 'CloudWatch', requests: requests('cloudwatch:PutMetricData', ['*'], { 'cloudwatch:namespace': input.Namespace }) };
    case 'aws-sdk:s3:listObjectsV2':
      // ListObjectsV2 is authorized as s3:ListBucket on the bucket, with the prefix as s3:prefix.
      return { service: 'S3', requests: requests('s3:ListBucket', [`arn:${partition}:s3:::${input.Bucket}`], { 's3:prefix': input.Prefix ?? '' }) };
    case 'aws-sdk:s3:deleteObjects':
      // DeleteObjects is authorized as s3:DeleteObject on each object.
      return {
        service: 'S3',
        requests: requests('s3:DeleteObject', ((input.Delete?.Objects ?? []) as Array<{ Key: string }>).map((object) => `arn:${partition}:s3:::${input.Bucket}/${object.Key}`)),
      };
    default:
      return undefined;
  }
}
