import { ExpectedResult, IApiCall, IDeployAssert } from '@aws-cdk/integ-tests-alpha';
import { Duration, Stack } from 'aws-cdk-lib';
import { insertOrdersQuery, KeepDataStack, Order, S3_TABLES_NAMESPACE, S3_TABLES_TARGET_TABLE_NAME, SOURCE_TABLE_NAME, TARGET_TABLE_NAME } from './keep-data-stack';

/** Athena queries on a few rows finish in seconds; an execution runs a handful of them, one after the other. */
const QUERY_WAIT = { totalTimeout: Duration.minutes(5), interval: Duration.seconds(5) };
const EXECUTION_WAIT = { totalTimeout: Duration.minutes(15), interval: Duration.seconds(15) };

/** The totals of the target table that an assertion expects. */
export interface DailyOrdersTotals {
  /** Rows in the target table: one per day. */
  readonly days: number;
  /** The orders counted over all days. */
  readonly orders: number;
}

/**
 * The steps of a test of a `KeepDataStack`, run one after the other by the assertion stack:
 * add source rows with Athena, run the workflow, check the target table with Athena.
 *
 * @example
 * new KeepDataAssertions(integ.assertions, stack)
 *   .insertOrders(FIRST_DAY_ORDERS)
 *   .runWorkflow()
 *   .expectTarget({ days: 1, orders: 3 });
 */
export class KeepDataAssertions {
  private last?: IApiCall;
  private granted = false;

  constructor(private readonly assertions: IDeployAssert, private readonly stack: KeepDataStack) {}

  /** Adds orders to the source table with an Athena `INSERT INTO`, which also adds their partition. */
  public insertOrders(orders: Order[]): this {
    this.query(insertOrdersQuery(this.stack.databaseName, orders));
    return this;
  }

  /** Starts an execution of the workflow and waits until it succeeds. */
  public runWorkflow(): this {
    const start = this.assertions.awsApiCall('StepFunctions', 'startExecution', {
      stateMachineArn: this.stack.keepData.stateMachine.stateMachineArn,
    });
    const describe = this.assertions.awsApiCall('StepFunctions', 'describeExecution', {
      executionArn: start.getAttString('executionArn'),
    }).expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' })).waitForAssertions(EXECUTION_WAIT);
    this.chain(start, describe);
    return this;
  }

  /** Counts the target table's rows and orders with Athena and compares them. */
  public expectTarget(expected: DailyOrdersTotals): this {
    const queryExecutionId = this.query(
      `SELECT count(*) AS days, sum(orders) AS orders FROM ${this.stack.databaseName}.${TARGET_TABLE_NAME}`,
    );
    const results = this.assertions.awsApiCall('Athena', 'getQueryResults', { QueryExecutionId: queryExecutionId })
      .expect(ExpectedResult.objectLike({
        ResultSet: {
          Rows: [
            { Data: [{ VarCharValue: 'days' }, { VarCharValue: 'orders' }] },
            { Data: [{ VarCharValue: `${expected.days}` }, { VarCharValue: `${expected.orders}` }] },
          ],
        },
      }));
    this.chain(results);
    return this;
  }

  /**
   * Counts the rows and distinct orders of the S3 table with Athena, by its catalog-qualified
   * name (https://docs.aws.amazon.com/athena/latest/ug/gdc-register-s3-table-bucket-cat.html).
   */
  public expectS3TableOrders(orders: number): this {
    const bucket = this.stack.tableBucket!;
    const queryExecutionId = this.query(
      `SELECT count(*) AS row_count, count(DISTINCT order_id) AS orders FROM "s3tablescatalog/${bucket.tableBucketName}"."${S3_TABLES_NAMESPACE}"."${S3_TABLES_TARGET_TABLE_NAME}"`,
    );
    this.chain(this.assertions.awsApiCall('Athena', 'getQueryResults', { QueryExecutionId: queryExecutionId })
      .expect(ExpectedResult.objectLike({
        ResultSet: {
          Rows: [
            { Data: [{ VarCharValue: 'row_count' }, { VarCharValue: 'orders' }] },
            { Data: [{ VarCharValue: `${orders}` }, { VarCharValue: `${orders}` }] },
          ],
        },
      })));
    return this;
  }

  /**
   * Deletes the S3 table the workflow created, so that the stack's namespace, and then its table
   * bucket, can be deleted: S3 Tables deletes only an empty namespace and an empty table bucket.
   */
  public deleteS3Table(): this {
    const call = this.assertions.awsApiCall('S3Tables', 'deleteTable', {
      tableBucketARN: this.stack.tableBucket!.attrTableBucketArn,
      namespace: S3_TABLES_NAMESPACE,
      name: S3_TABLES_TARGET_TABLE_NAME,
    });
    this.chain(call);
    return this;
  }

  /**
   * Checks with Glue that the workflow turned on each of the target's table optimizers
   * (`GetTableOptimizer`, https://docs.aws.amazon.com/glue/latest/webapi/API_GetTableOptimizer.html).
   */
  public expectMaintenance(): this {
    for (const type of ['compaction', 'retention', 'orphan_file_deletion']) {
      this.chain(this.assertions.awsApiCall('Glue', 'getTableOptimizer', {
        CatalogId: Stack.of(this.stack).account,
        DatabaseName: this.stack.databaseName,
        TableName: TARGET_TABLE_NAME,
        Type: type,
      }).expect(ExpectedResult.objectLike({ TableOptimizer: { type, configuration: { enabled: true } } })));
    }
    return this;
  }

  /** Starts an Athena query, waits until it has succeeded, and returns its id. */
  private query(sql: string): string {
    const start = this.assertions.awsApiCall('Athena', 'startQueryExecution', {
      QueryString: sql,
      WorkGroup: this.stack.workGroupName,
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: this.stack.databaseName },
    });
    const queryExecutionId = start.getAttString('QueryExecutionId');
    const wait = this.assertions.awsApiCall('Athena', 'getQueryExecution', { QueryExecutionId: queryExecutionId })
      .expect(ExpectedResult.objectLike({ QueryExecution: { Status: { State: 'SUCCEEDED' } } }))
      .waitForAssertions(QUERY_WAIT);
    this.grantQueries(start);
    this.chain(start, wait);
    return queryExecutionId;
  }

  private chain(...calls: IApiCall[]): void {
    for (const call of calls) {
      this.last?.next(call);
      this.last = call;
    }
  }

  /**
   * Athena runs a query with the permissions of whoever started it, so the assertion provider
   * needs what the queries touch. integ-tests-alpha adds the API actions themselves (on `*`);
   * these statements add the catalog, the data and the results, scoped to the test's resources.
   */
  private grantQueries(call: IApiCall): void {
    if (this.granted) return;
    this.granted = true;
    const stack = this.stack;
    const db = stack.databaseName;
    const assertStack = Stack.of(call);
    const glueArn = (resource: string, resourceName?: string) => assertStack.formatArn({ service: 'glue', resource, resourceName });
    const objects = (bucketArn: string, prefix: string) => `${bucketArn}/${prefix}*`;

    const tableBucket = stack.tableBucket;
    if (tableBucket) {
      // Reading the S3 table: IAM access control, as Athena's guide lists it.
      call.provider.addToRolePolicy({
        Effect: 'Allow',
        Action: ['glue:GetCatalog', 'glue:GetDatabase', 'glue:GetTable'],
        Resource: [
          glueArn('catalog', 's3tablescatalog'),
          glueArn('catalog', `s3tablescatalog/${tableBucket.tableBucketName}`),
          glueArn('database', `s3tablescatalog/${tableBucket.tableBucketName}/${S3_TABLES_NAMESPACE}`),
          glueArn('table', `s3tablescatalog/${tableBucket.tableBucketName}/${S3_TABLES_NAMESPACE}/${S3_TABLES_TARGET_TABLE_NAME}`),
        ],
      });
      call.provider.addToRolePolicy({
        Effect: 'Allow',
        Action: ['s3tables:GetTableBucket', 's3tables:GetNamespace', 's3tables:GetTable', 's3tables:GetTableMetadataLocation', 's3tables:GetTableData'],
        Resource: [tableBucket.attrTableBucketArn, `${tableBucket.attrTableBucketArn}/table/*`],
      });
    }
    call.provider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['athena:GetDataCatalog'],
      Resource: [assertStack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
    });
    call.provider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
      Resource: [
        glueArn('catalog'),
        glueArn('database', db),
        glueArn('table', `${db}/${SOURCE_TABLE_NAME}`),
        glueArn('table', `${db}/${TARGET_TABLE_NAME}`),
      ],
    });
    call.provider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition'],
      Resource: [glueArn('catalog'), glueArn('database', db), glueArn('table', `${db}/${SOURCE_TABLE_NAME}`)],
    });
    call.provider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      Resource: [stack.dataBucket.bucketArn, stack.resultsBucket.bucketArn],
    });
    call.provider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [objects(stack.dataBucket.bucketArn, `${TARGET_TABLE_NAME}/`)],
    });
    call.provider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: [
        objects(stack.dataBucket.bucketArn, `${SOURCE_TABLE_NAME}/`),
        objects(stack.resultsBucket.bucketArn, stack.resultsPrefix),
      ],
    });
    if (stack.key) {
      call.provider.addToRolePolicy({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [stack.key.keyArn],
      });
    }
  }
}
