/**
 * A namespace in an Amazon S3 table bucket that holds the target table.
 *
 * You bring the table bucket and the namespace, and the account's integration of table buckets
 * with the AWS Glue Data Catalog (the `s3tablescatalog` catalog): see
 * docs/table-types.md, "Amazon S3 Tables as a target".
 */
export interface S3TablesTarget {
  /**
   * The ARN of the table bucket, `arn:<partition>:s3tables:<region>:<account>:bucket/<name>`, in
   * the stack's account and Region (for example `CfnTableBucket.attrTableBucketArn`).
   */
  readonly tableBucketArn: string;

  /**
   * The namespace in the table bucket that the target table is created in: 1 to 255 lower-case
   * letters, digits or underscores.
   */
  readonly namespace: string;
}
