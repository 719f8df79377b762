import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface SecureBucketProps {
  /** Where S3 server access logs go. @default - no access logs */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** Objects expire this long after they are written. @default - never */
  readonly expiration?: Duration;
  /** RETAIN, or DESTROY, which also empties the bucket first (an S3 bucket with objects cannot be deleted). */
  readonly removalPolicy: RemovalPolicy;
}

/** A bucket with the settings every bucket this library creates shares: encrypted, SSL only, private. */
export function createSecureBucket(scope: Construct, id: string, props: SecureBucketProps): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: props.serverAccessLogsBucket,
    serverAccessLogsPrefix: props.serverAccessLogsBucket ? `${id}/` : undefined,
    removalPolicy: props.removalPolicy,
    autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    lifecycleRules: props.expiration
      ? [{ expiration: props.expiration, abortIncompleteMultipartUploadAfter: Duration.days(1) }]
      : [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
  });
}
