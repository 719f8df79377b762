import { Annotations, Names } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CODE_PREFIX } from './errors';
import { ResolvedProps } from './resolved-props';
import { createSecureBucket } from './secure-bucket';

/** Where query results go. */
export interface ResultsStorage {
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly uri: string;
  /** The key the construct's workgroup encrypts results with (SSE-KMS); SSE-S3 without. */
  readonly key?: kms.IKey;
}

/** The bucket and prefix for query results, and how every query's results are encrypted. */
export function createResultsStorage(
  scope: Construct,
  props: Pick<ResolvedProps, 'resultsBucket' | 'serverAccessLogsBucket' | 'resultsExpiration' | 'removalPolicy' | 'resultsEncryptionKey' | 'resultsPrefix'>,
): ResultsStorage {
  const bucket = props.resultsBucket ?? createSecureBucket(scope, 'ResultsBucket', {
    serverAccessLogsBucket: props.serverAccessLogsBucket,
    expiration: props.resultsExpiration,
    removalPolicy: props.removalPolicy,
  });
  return { bucket, prefix: props.resultsPrefix, uri: `s3://${bucket.bucketName}/${props.resultsPrefix}`, key: props.resultsEncryptionKey };
}

/**
 * A workgroup of the workflow's own. It does not enforce its configuration, and every query sends
 * the same result location and encryption itself (see athena-rules.md, the rule on enforcing
 * workgroups and `external_location`); the bytes-scanned cutoff applies either way.
 */
export function createWorkGroup(
  scope: Construct,
  props: Pick<ResolvedProps, 'databaseName' | 'targetTableName' | 'bytesScannedCutoffPerQuery'>,
  results: ResultsStorage,
): athena.CfnWorkGroup {
  return new athena.CfnWorkGroup(scope, 'WorkGroup', {
    name: Names.uniqueResourceName(scope, { maxLength: 128, separator: '-' }),
    description: `Runs the queries that keep ${props.databaseName}.${props.targetTableName} up to date`,
    state: 'ENABLED',
    // The workgroup only ever holds this workflow's query history.
    recursiveDeleteOption: true,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: false,
      publishCloudWatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery?.toBytes(),
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: results.uri,
        encryptionConfiguration: results.key
          ? { encryptionOption: 'SSE_KMS', kmsKey: results.key.keyArn }
          : { encryptionOption: 'SSE_S3' },
      },
    },
  });
}

/** The name of the user's workgroup, with a warning when its results may go elsewhere. */
export function useExistingWorkGroup(scope: Construct, props: Pick<ResolvedProps, 'resultsBucket' | 'workGroupName'>): string {
  if (!props.resultsBucket) {
    Annotations.of(scope).addWarningV2(`${CODE_PREFIX}:existingWorkGroupResults`,
      `Queries in workgroup '${props.workGroupName}' write their results to the bucket this construct creates. If that workgroup enforces a result location of its own, set resultsBucket and resultsPrefix to it, or the role may not write there.`);
  }
  return props.workGroupName!;
}
