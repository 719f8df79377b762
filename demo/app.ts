import { App, Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SAMPLE_SOURCE } from './sample-data';
import { KeepDataUpToDate, TargetQueries, TargetStorage } from '../src';

/** Creates the target from the source, partitioned by day, as a user would write it for Athena. */
export const CREATE_TARGET_QUERY = `CREATE TABLE {{database}}.{{targetTable}}
WITH (format = 'PARQUET', external_location = '{{targetLocation}}', partitioned_by = ARRAY['dt'])
AS SELECT order_id, customer, amount, dt FROM {{database}}.{{sourceTable}}`;

/** Adds the source days newer than the newest day in the target. */
export const UPDATE_TARGET_QUERY = `INSERT INTO {{database}}.{{targetTable}}
SELECT order_id, customer, amount, dt FROM {{database}}.{{sourceTable}}
WHERE dt > (SELECT max(dt) FROM {{database}}.{{targetTable}})`;

export interface ExampleAppOptions {
  /** @default CREATE_TARGET_QUERY */
  readonly createTargetQuery?: string;
  /** @default UPDATE_TARGET_QUERY */
  readonly updateTargetQuery?: string;
  /** Generated or watermarked queries, instead of the two templates. */
  readonly queries?: TargetQueries;
  /** @default 'orders_curated' */
  readonly targetTableName?: string;
  /** @default true (the construct's default) */
  readonly singleWriter?: boolean;
  /** @default 5 days (the construct's default) */
  readonly snapshotRetention?: Duration;
}

/** The example target: same database and bucket as the sample source, its own prefix. */
export const EXAMPLE_TARGET = {
  tableName: 'orders_curated',
  prefix: 'curated/orders/',
} as const;

/**
 * A CDK app with one stack that keeps `sales.orders_curated` up to date from the sample
 * `sales.orders` table. The buckets are imported by name, so the S3 locations in the
 * synthesized queries are concrete.
 */
export function createExampleApp(options: ExampleAppOptions = {}): { app: App; stack: Stack; workflow: KeepDataUpToDate } {
  const app = new App();
  const stack = new Stack(app, 'KeepDataUpToDateExample');
  const dataLake = s3.Bucket.fromBucketName(stack, 'DataLake', SAMPLE_SOURCE.bucketName);
  const workflow = new KeepDataUpToDate(stack, 'OrdersCurated', {
    databaseName: SAMPLE_SOURCE.databaseName,
    sourceTableNames: [SAMPLE_SOURCE.tableName],
    targetTableName: options.targetTableName ?? EXAMPLE_TARGET.tableName,
    ...(options.queries
      ? { queries: options.queries }
      : { createTargetQuery: options.createTargetQuery ?? CREATE_TARGET_QUERY, updateTargetQuery: options.updateTargetQuery ?? UPDATE_TARGET_QUERY }),
    sourceDataLocations: [{ bucket: dataLake, prefix: SAMPLE_SOURCE.prefix }],
    target: TargetStorage.s3({ bucket: dataLake, prefix: EXAMPLE_TARGET.prefix }),
    singleWriter: options.singleWriter,
    snapshotRetention: options.snapshotRetention,
  });
  return { app, stack, workflow };
}
