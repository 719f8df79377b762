import { Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
// In an app: import { KeepDataUpToDate } from 'cdk-keep-data-up-to-date';
import { KeepDataUpToDate } from '../../../src';

/** The stack of the README's "Test your workflow before you deploy": daily totals of orders. */
export class AnalyticsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const dataLake = s3.Bucket.fromBucketName(this, 'DataLake', 'my-data-lake');
    new KeepDataUpToDate(this, 'DailySales', {
      databaseName: 'sales',
      sourceTableNames: ['orders'],
      targetTableName: 'daily_sales',
      createTargetQuery: `CREATE TABLE {{database}}.{{targetTable}}
        WITH (format = 'PARQUET', external_location = '{{targetLocation}}', partitioned_by = ARRAY['dt'])
        AS SELECT count(*) AS orders, sum(amount) AS total, dt FROM {{database}}.{{sourceTable}} GROUP BY dt`,
      updateTargetQuery: `INSERT INTO {{database}}.{{targetTable}}
        SELECT count(*) AS orders, sum(amount) AS total, dt FROM {{database}}.{{sourceTable}}
        WHERE dt > (SELECT max(dt) FROM {{database}}.{{targetTable}}) GROUP BY dt`,
      sourceDataLocations: [{ bucket: dataLake, prefix: 'raw/orders/' }],
      targetDataLocation: { bucket: dataLake, prefix: 'curated/daily_sales/' },
    });
  }
}
