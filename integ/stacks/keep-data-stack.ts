import { Aws, Duration, RemovalPolicies, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3tables from 'aws-cdk-lib/aws-s3tables';
import { Construct } from 'constructs';
import { DataLocation, KeepDataUpToDate, TargetQueries, TargetStorage, TargetTableType } from '../../src';

/** One row of the source table. */
export interface Order {
  readonly orderId: string;
  readonly customer: string;
  /** In dollars, two decimal places. */
  readonly amount: number;
  /** The partition: the order's day, `YYYY-MM-DD`. */
  readonly dt: string;
}

/** The source table: one row per order, partitioned by day. */
export const SOURCE_TABLE_NAME = 'orders';
/** The target table: one row per day, partitioned by day. */
export const TARGET_TABLE_NAME = 'daily_orders';

/** With `s3TablesTarget`: the target, one row per order (the newest version of each), in the table bucket's namespace. */
export const S3_TABLES_TARGET_TABLE_NAME = 'latest_orders';
/** With `s3TablesTarget`: the namespace the stack creates in its table bucket. */
export const S3_TABLES_NAMESPACE = 'orders_integ';

/** The source table's columns as Glue and Athena name them; `dt` is the partition key. */
export const SOURCE_COLUMNS: glue.CfnTable.ColumnProperty[] = [
  { name: 'order_id', type: 'string' },
  { name: 'customer', type: 'string' },
  { name: 'amount', type: 'decimal(10,2)' },
];
export const SOURCE_PARTITION_KEYS: glue.CfnTable.ColumnProperty[] = [{ name: 'dt', type: 'string' }];

/** The source partition that exists before the first execution. */
export const FIRST_DAY_ORDERS: Order[] = [
  { orderId: 'o-0001', customer: 'alice', amount: 12.5, dt: '2026-01-01' },
  { orderId: 'o-0002', customer: 'bob', amount: 7.25, dt: '2026-01-01' },
  { orderId: 'o-0003', customer: 'carol', amount: 30, dt: '2026-01-01' },
];

/** The source partition that arrives between the first and the second execution. */
export const SECOND_DAY_ORDERS: Order[] = [
  { orderId: 'o-0004', customer: 'alice', amount: 5, dt: '2026-01-02' },
  { orderId: 'o-0005', customer: 'dave', amount: 18.75, dt: '2026-01-02' },
];

/** A third day, for a case that loads two new days in one execution. */
export const THIRD_DAY_ORDERS: Order[] = [
  { orderId: 'o-0006', customer: 'bob', amount: 42, dt: '2026-01-03' },
];

/** Creates the daily summary from every day in the source. */
export const CREATE_TARGET_QUERY = `CREATE TABLE {{database}}.{{targetTable}}
WITH (format = 'PARQUET', external_location = '{{targetLocation}}', partitioned_by = ARRAY['dt'])
AS SELECT count(*) AS orders, sum(amount) AS revenue, dt
FROM {{database}}.{{sourceTable}}
GROUP BY dt`;

/** Adds the days that are newer than the newest day in the summary. */
export const UPDATE_TARGET_QUERY = `INSERT INTO {{database}}.{{targetTable}}
SELECT count(*) AS orders, sum(amount) AS revenue, dt
FROM {{database}}.{{sourceTable}}
WHERE dt > (SELECT coalesce(max(dt), '') FROM {{database}}.{{targetTable}})
GROUP BY dt`;

/**
 * Creates the daily summary as an Iceberg table. A workgroup that enforces its result location
 * fails a Hive CTAS that sets `external_location`
 * (https://docs.aws.amazon.com/athena/latest/ug/workgroups-troubleshooting.html); an Iceberg
 * table's `location` is how the summary still lives under its own prefix there.
 */
export const CREATE_ICEBERG_TARGET_QUERY = `CREATE TABLE {{database}}.{{targetTable}}
WITH (table_type = 'ICEBERG', is_external = false, location = '{{targetLocation}}', partitioning = ARRAY['dt'])
AS SELECT count(*) AS orders, sum(amount) AS revenue, dt
FROM {{database}}.{{sourceTable}}
GROUP BY dt`;

/** With a watermark: creates the summary empty, for the windowed updates to fill. */
export const CREATE_EMPTY_TARGET_QUERY = `${CREATE_TARGET_QUERY}
WITH NO DATA`;

/** With a watermark: adds the days of one window, after `{{watermark}}` up to `{{windowEnd}}`. */
export const WINDOW_UPDATE_TARGET_QUERY = `INSERT INTO {{database}}.{{targetTable}}
SELECT count(*) AS orders, sum(amount) AS revenue, dt
FROM {{database}}.{{sourceTable}}
WHERE dt > {{watermark}} AND dt <= {{windowEnd}}
GROUP BY dt`;

/** With a watermark on an Iceberg summary: creates it empty, for the windowed merges to fill. */
export const CREATE_EMPTY_ICEBERG_TARGET_QUERY = `${CREATE_ICEBERG_TARGET_QUERY}
WITH NO DATA`;

/**
 * With a watermark on an Iceberg summary: merges the days of one window, so that a day loaded
 * again (the lookback) replaces its row rather than adding another.
 */
export const WINDOW_MERGE_TARGET_QUERY = `MERGE INTO {{database}}.{{targetTable}} AS t
USING (
  SELECT count(*) AS orders, sum(amount) AS revenue, dt
  FROM {{database}}.{{sourceTable}}
  WHERE dt > {{watermark}} AND dt <= {{windowEnd}}
  GROUP BY dt
) AS s
ON t.dt = s.dt
WHEN MATCHED THEN UPDATE SET orders = s.orders, revenue = s.revenue
WHEN NOT MATCHED THEN INSERT (orders, revenue, dt) VALUES (s.orders, s.revenue, s.dt)`;

/** An Athena statement that adds orders to the source table (and their day's partition to the catalog). */
export function insertOrdersQuery(databaseName: string, orders: Order[]): string {
  // The amount is cast to the column's own type, so the statement means the same in any engine.
  const values = orders.map((o) => `('${o.orderId}', '${o.customer}', CAST('${o.amount.toFixed(2)}' AS decimal(10,2)), '${o.dt}')`);
  return `INSERT INTO ${databaseName}.${SOURCE_TABLE_NAME} VALUES ${values.join(', ')}`;
}

export interface KeepDataStackProps extends StackProps {
  /**
   * The Glue database the stack creates. Unique per account and region, so that test cases can
   * be deployed side by side.
   */
  readonly databaseName: string;

  /**
   * Run the queries in an Athena workgroup the stack creates and passes to the construct by
   * name, instead of the one the construct creates. That workgroup enforces its result location,
   * so the summary is an Iceberg table (`CREATE_ICEBERG_TARGET_QUERY`).
   *
   * @default false
   */
  readonly existingWorkGroup?: boolean;

  /**
   * Encrypt the data bucket with a customer managed key, and have the construct's workgroup
   * encrypt query results with it.
   *
   * @default false - SSE-S3
   */
  readonly customerManagedKey?: boolean;

  /**
   * Have the construct find the newest day in the summary (a watermark on `dt`) and load the
   * newer days in windows of at most this many days, one `INSERT` per window.
   *
   * @default - no watermark: the update query finds the newer days itself
   */
  readonly maxDaysPerQuery?: number;

  /**
   * With `maxDaysPerQuery`: the summary is an Iceberg table, merged one window at a time with a
   * lookback of one day, and maintained by the Glue table optimizers the workflow turns on.
   *
   * @default false - a Hive summary
   */
  readonly icebergSummary?: boolean;

  /**
   * The target is an Iceberg table in a namespace of an S3 table bucket the stack creates,
   * merged from the source orders one day at a time (`TargetQueries.mergeNewerRows` into `TargetStorage.s3Table`).
   * The account must have integrated table buckets with the Glue Data Catalog.
   *
   * @default false
   */
  readonly s3TablesTarget?: boolean;
}

/**
 * A `KeepDataUpToDate` workflow over a partitioned source table of orders, with everything it
 * needs and nothing retained: the database, the source table, the data and results buckets and,
 * depending on the props, a workgroup and a KMS key. The source table starts empty.
 */
export class KeepDataStack extends Stack {
  public readonly databaseName: string;
  /** Holds the source table's data (under `orders/`) and the target table's (under `daily_orders/`). */
  public readonly dataBucket: s3.Bucket;
  public readonly sourceDataLocation: DataLocation;
  public readonly targetDataLocation: DataLocation;
  public readonly resultsBucket: s3.Bucket;
  /** Where every query, the workflow's and the test's, writes its results. */
  public readonly resultsPrefix = 'athena-results/';
  public readonly database: glue.CfnDatabase;
  public readonly sourceTable: glue.CfnTable;
  public readonly key?: kms.Key;
  /** The workgroup the stack creates when `existingWorkGroup` is set. */
  public readonly workGroup?: athena.CfnWorkGroup;
  public readonly keepData: KeepDataUpToDate;
  /** With `s3TablesTarget`: the table bucket and its namespace. */
  public readonly tableBucket?: s3tables.CfnTableBucket;
  public readonly namespace?: s3tables.CfnNamespace;

  constructor(scope: Construct, id: string, props: KeepDataStackProps) {
    super(scope, id, props);
    this.databaseName = props.databaseName;

    if (props.customerManagedKey) {
      this.key = new kms.Key(this, 'DataKey', {
        description: `Encrypts the test data of ${props.databaseName}`,
        enableKeyRotation: true,
        pendingWindow: Duration.days(7),
        removalPolicy: RemovalPolicy.DESTROY,
      });
    }
    this.dataBucket = new s3.Bucket(this, 'DataBucket', {
      ...testBucketProps(),
      ...(this.key
        ? { encryption: s3.BucketEncryption.KMS, encryptionKey: this.key, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
    });
    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      ...testBucketProps(),
      encryption: s3.BucketEncryption.S3_MANAGED,
    });
    this.sourceDataLocation = { bucket: this.dataBucket, prefix: `${SOURCE_TABLE_NAME}/` };
    this.targetDataLocation = { bucket: this.dataBucket, prefix: `${TARGET_TABLE_NAME}/` };

    // Deleting the database deletes the target table that the workflow created in it.
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: props.databaseName, description: 'Test data of cdk-keep-data-up-to-date' },
    });
    this.sourceTable = new glue.CfnTable(this, 'SourceTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.database.ref,
      tableInput: {
        name: SOURCE_TABLE_NAME,
        tableType: 'EXTERNAL_TABLE',
        parameters: { 'classification': 'parquet', 'EXTERNAL': 'TRUE', 'parquet.compression': 'SNAPPY' },
        partitionKeys: SOURCE_PARTITION_KEYS,
        storageDescriptor: {
          columns: SOURCE_COLUMNS,
          location: `s3://${this.dataBucket.bucketName}/${this.sourceDataLocation.prefix}`,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });

    if (props.existingWorkGroup) {
      this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
        name: `${props.databaseName.replace(/_/g, '-')}-queries`,
        description: 'A workgroup that exists before the workflow: it enforces its own result location',
        recursiveDeleteOption: true,
        workGroupConfiguration: {
          enforceWorkGroupConfiguration: true,
          engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
          resultConfiguration: {
            outputLocation: `s3://${this.resultsBucket.bucketName}/${this.resultsPrefix}`,
            encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          },
        },
      });
    }

    if (props.s3TablesTarget) {
      this.tableBucket = new s3tables.CfnTableBucket(this, 'TableBucket', {
        tableBucketName: `${props.databaseName.replace(/_/g, '-')}-tables`,
      });
      this.namespace = new s3tables.CfnNamespace(this, 'Namespace', {
        tableBucketArn: this.tableBucket.attrTableBucketArn,
        namespace: S3_TABLES_NAMESPACE,
      });
      this.keepData = new KeepDataUpToDate(this, 'KeepDataUpToDate', {
        databaseName: props.databaseName,
        sourceTableNames: [SOURCE_TABLE_NAME],
        targetTableName: S3_TABLES_TARGET_TABLE_NAME,
        target: TargetStorage.s3Table({ tableBucketArn: this.tableBucket.attrTableBucketArn, namespace: S3_TABLES_NAMESPACE }),
        queries: TargetQueries.mergeNewerRows({
          sourceTableName: SOURCE_TABLE_NAME,
          uniqueKey: ['order_id'],
          watermarkColumn: 'dt',
          columns: ['order_id', 'customer', 'amount', 'dt'],
          columnTypes: { order_id: 'string', customer: 'string', amount: 'decimal(10,2)', dt: 'string' },
          maxWatermarkValuesPerQuery: props.maxDaysPerQuery,
        }),
        sourceDataLocations: [this.sourceDataLocation],
        resultsBucket: this.resultsBucket,
        resultsPrefix: this.resultsPrefix,
      });
      // The workflow creates its table in the namespace: it must exist first.
      this.keepData.node.addDependency(this.namespace);
      RemovalPolicies.of(this).destroy();
      return;
    }

    this.keepData = new KeepDataUpToDate(this, 'KeepDataUpToDate', {
      databaseName: props.databaseName,
      sourceTableNames: [SOURCE_TABLE_NAME],
      targetTableName: TARGET_TABLE_NAME,
      queries: props.maxDaysPerQuery === undefined
        ? TargetQueries.fromTemplates(props.existingWorkGroup ? CREATE_ICEBERG_TARGET_QUERY : CREATE_TARGET_QUERY, UPDATE_TARGET_QUERY)
        : props.icebergSummary
          ? TargetQueries.fromTemplates(CREATE_EMPTY_ICEBERG_TARGET_QUERY, WINDOW_MERGE_TARGET_QUERY,
            { column: 'dt', maxPartitionsPerQuery: props.maxDaysPerQuery, targetTableType: TargetTableType.ICEBERG, lookbackPartitions: 1 })
          : TargetQueries.fromTemplates(CREATE_EMPTY_TARGET_QUERY, WINDOW_UPDATE_TARGET_QUERY, { column: 'dt', maxPartitionsPerQuery: props.maxDaysPerQuery }),
      sourceDataLocations: [this.sourceDataLocation],
      target: TargetStorage.s3(this.targetDataLocation),
      resultsBucket: this.resultsBucket,
      resultsPrefix: this.resultsPrefix,
      workGroupName: this.workGroup?.ref,
      resultsEncryptionKey: this.workGroup ? undefined : this.key,
    });

    // The construct retains its log group, as a production workflow should; a test leaves nothing behind.
    RemovalPolicies.of(this).destroy();
  }

  /** The workgroup the queries run in: the stack's, or the one the construct created. */
  public get workGroupName(): string {
    return this.keepData.workGroupName;
  }
}

/** Test buckets disappear with the stack, objects and all. */
function testBucketProps(): s3.BucketProps {
  return {
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  };
}
