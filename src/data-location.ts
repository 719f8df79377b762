import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Where a table's data lives in Amazon S3: a bucket and a key prefix.
 *
 * Pass a bucket you import with `s3.Bucket.fromBucketAttributes(...)` and name its
 * `encryptionKey` when the data is encrypted with a customer managed key: the workflow's role
 * is then allowed to use exactly that key.
 */
export interface DataLocation {
  /**
   * The bucket that holds the table's data.
   */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix under which the table's data lives, ending in `/` (for example `sales/daily/`).
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;
}
