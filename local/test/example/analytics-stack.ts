import { Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
// In an app: import { KeepDataUpToDate, TargetQueries } from 'cdk-keep-data-up-to-date';
import { KeepDataUpToDate, TargetQueries } from '../../../src';

/** The quick start's workflow, in a stack that the app and its tests share. */
export class AnalyticsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Where the source table's data lives: the workflow's role may read exactly this.
    const rawData = s3.Bucket.fromBucketName(this, 'RawData', 'my-raw-data-bucket');

    new KeepDataUpToDate(this, 'SalesCurated', {
      databaseName: 'analytics',
      targetTableName: 'sales_curated',
      sourceTableNames: ['raw_sales'],
      sourceDataLocations: [{ bucket: rawData, prefix: 'sales/' }],
      // Generated statements: create the target empty, then append the newer days.
      queries: TargetQueries.appendNewerRows({
        sourceTableName: 'raw_sales',
        watermarkColumn: 'dt',
        columns: ['store_id', 'amount', 'dt'],
      }),
    });
  }
}
