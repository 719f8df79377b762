import { Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { KeepDataUpToDate, KeepDataUpToDateProps, TargetQueries, TargetStorage } from '../src';

/** Statements that satisfy the construct's checks; what they do is beside the point. */
export const CREATE_TARGET_QUERY = 'CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = \'{{targetLocation}}\') AS SELECT * FROM sales';
export const QUERIES = {
  queries: TargetQueries.fromTemplates(CREATE_TARGET_QUERY, 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM sales'),
};

/** An instance with default props over one source location in an imported bucket. */
export function addDefaultInstance(stack: Stack): KeepDataUpToDate {
  return new KeepDataUpToDate(stack, 'Sales', {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['sales'],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'sales-raw'), prefix: 'sales/' }],
    ...QUERIES,
  });
}

/**
 * Three instances that use most of what the construct offers: customer managed keys, an access-log
 * bucket, full logging, a scan cutoff, several sources and Lake Formation grants; an existing
 * workgroup with a given results bucket; and watermark windows on a schedule.
 */
export function addCustomisedInstances(stack: Stack): void {
  const dataKey = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
  const resultsKey = new kms.Key(stack, 'ResultsKey', { enableKeyRotation: true });
  const accessLogs = new s3.Bucket(stack, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  });
  Validations.of(accessLogs).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This bucket is the server access log destination; logging it into itself would loop',
  });
  const sales = new KeepDataUpToDate(stack, 'Sales', {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['sales', 'stores'],
    sourceDataLocations: [
      { bucket: s3.Bucket.fromBucketAttributes(stack, 'SalesBucket', { bucketName: 'sales-raw', encryptionKey: dataKey }), prefix: 'sales/daily/' },
      { bucket: s3.Bucket.fromBucketName(stack, 'StoresBucket', 'reference-data') },
    ],
    target: TargetStorage.s3({
      bucket: s3.Bucket.fromBucketAttributes(stack, 'LakeBucket', { bucketName: 'curated-lake', encryptionKey: dataKey }),
      prefix: 'curated/daily_sales/',
    }),
    resultsEncryptionKey: resultsKey,
    resultsExpiration: Duration.days(7),
    bytesScannedCutoffPerQuery: Size.gibibytes(10),
    serverAccessLogsBucket: accessLogs,
    logLevel: sfn.LogLevel.ALL,
    logRetention: logs.RetentionDays.THREE_MONTHS,
    ...QUERIES,
  });
  sales.grantLakeFormationPermissions({ targetTableExists: true, targetLocationRegistered: true });
  new KeepDataUpToDate(stack, 'Stores', {
    databaseName: 'analytics',
    targetTableName: 'store_totals',
    sourceTableNames: ['stores'],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'Reference', 'reference-data'), prefix: 'stores/' }],
    workGroupName: 'analytics-team',
    resultsBucket: s3.Bucket.fromBucketAttributes(stack, 'TeamResults', { bucketName: 'team-athena-results', encryptionKey: resultsKey }),
    resultsPrefix: 'store-totals/',
    ...QUERIES,
  });
  new KeepDataUpToDate(stack, 'Totals', {
    databaseName: 'analytics',
    targetTableName: 'hourly_totals',
    sourceTableNames: ['sales'],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'HourlySales', 'sales-raw'), prefix: 'sales/hourly/' }],
    queries: TargetQueries.fromTemplates(CREATE_TARGET_QUERY,
      'INSERT INTO {{targetTable}} SELECT * FROM sales WHERE dt > {{watermark}} AND dt <= {{windowEnd}}', { column: 'dt' }),
    schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
  });
}

/** An instance whose Hive target has its newest partition rewritten on every run (the one that may delete). */
export function addHiveLookbackInstance(stack: Stack): KeepDataUpToDate {
  const lake = s3.Bucket.fromBucketName(stack, 'Lake', 'my-lake');
  return new KeepDataUpToDate(stack, 'DailySales', {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['raw_sales'],
    sourceDataLocations: [{ bucket: lake, prefix: 'raw/' }],
    target: TargetStorage.s3({ bucket: lake, prefix: 'curated/' }),
    queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt', lookbackPartitions: 1 }),
  });
}

/**
 * An instance whose target is an S3 Tables table (`orders_latest` in namespace `sales` of the
 * table bucket `analytics-tables`), merged from `analytics.orders`, with the overrides.
 */
export function addS3TablesInstance(stack: Stack, overrides: Partial<KeepDataUpToDateProps> = {}): KeepDataUpToDate {
  return new KeepDataUpToDate(stack, 'Orders', {
    databaseName: 'analytics',
    targetTableName: 'orders_latest',
    sourceTableNames: ['orders'],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'Raw', 'raw-data'), prefix: 'orders/' }],
    target: TargetStorage.s3Table({ tableBucketArn: `arn:aws:s3tables:${stack.region}:${stack.account}:bucket/analytics-tables`, namespace: 'sales' }),
    queries: TargetQueries.mergeNewerRows({
      sourceTableName: 'orders',
      uniqueKey: ['order_id'],
      watermarkColumn: 'dt',
      columns: ['order_id', 'amount', 'dt'],
      columnTypes: { order_id: 'bigint', amount: 'double', dt: 'string' },
    }),
    ...overrides,
  });
}

/** An instance that merges into an Iceberg table whose Glue table optimizers run as the maintenance role, with Lake Formation grants. */
export function addMaintainedIcebergInstance(stack: Stack): KeepDataUpToDate {
  const construct = new KeepDataUpToDate(stack, 'Orders', {
    databaseName: 'analytics',
    targetTableName: 'orders_merged',
    sourceTableNames: ['orders'],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'Raw', 'raw-data'), prefix: 'orders/' }],
    target: TargetStorage.s3({ bucket: s3.Bucket.fromBucketName(stack, 'Lake', 'my-lake'), prefix: 'merged/' }),
    queries: TargetQueries.mergeNewerRows({ sourceTableName: 'orders', uniqueKey: ['order_id'], watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'] }),
  });
  construct.grantLakeFormationPermissions({ targetTableExists: true });
  return construct;
}
