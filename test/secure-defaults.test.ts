import { App, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { KeepDataUpToDate, KeepDataUpToDateProps, TargetQueries } from '../src';

const CREATE_TARGET_QUERY = 'CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = \'{{targetLocation}}\') AS SELECT * FROM sales';
const QUERIES = {
  queries: TargetQueries.fromTemplates(CREATE_TARGET_QUERY, 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM sales'),
};

function synth(props: Partial<KeepDataUpToDateProps> = {}, extend?: (stack: Stack) => Partial<KeepDataUpToDateProps>) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
  const construct = new KeepDataUpToDate(stack, 'Sales', {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['sales'],
    sourceDataLocations: [{ bucket: s3.Bucket.fromBucketName(stack, 'SourceBucket', 'sales-raw'), prefix: 'sales/' }],
    ...QUERIES,
    ...props,
    ...extend?.(stack),
  });
  const template = Template.fromStack(stack);
  const logicalId = (bucket: s3.IBucket) => stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  return {
    stack,
    construct,
    template,
    buckets: { TargetBucket: logicalId(construct.targetDataLocation!.bucket), ResultsBucket: logicalId(construct.resultsBucket) },
  };
}

describe('the buckets the construct creates', () => {
  const { template, buckets } = synth();
  const bucket = (logicalId: string) => template.toJSON().Resources[logicalId];

  test.each(Object.keys(buckets))('%s encrypts every object with SSE-S3', (name) => {
    expect(bucket(buckets[name as keyof typeof buckets]).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  test.each(Object.keys(buckets))('%s blocks every kind of public access and disables ACLs', (name) => {
    const properties = bucket(buckets[name as keyof typeof buckets]).Properties;
    expect(properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  test.each(Object.keys(buckets))('%s refuses every request that does not use TLS', (name) => {
    const logicalId = buckets[name as keyof typeof buckets];
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Resource: [
            { 'Fn::GetAtt': [logicalId, 'Arn'] },
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'Arn'] }, '/*']] },
          ],
        }]),
      },
    });
  });

  test.each(Object.keys(buckets))('%s writes no server access logs unless a log bucket is given', (name) => {
    expect(bucket(buckets[name as keyof typeof buckets]).Properties.LoggingConfiguration).toBeUndefined();
  });

  test('both write server access logs, each under its own prefix, when a log bucket is given', () => {
    const given = synth({}, (stack) => ({ serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', 'access-logs') }));
    for (const [name, logicalId] of Object.entries(given.buckets)) {
      expect(given.template.toJSON().Resources[logicalId].Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: 'access-logs',
        LogFilePrefix: `${name}/`,
      });
    }
  });

  test('query results expire after 30 days, and incomplete uploads are aborted after a day', () => {
    expect(bucket(buckets.ResultsBucket).Properties.LifecycleConfiguration).toEqual({
      Rules: [{ ExpirationInDays: 30, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
    });
  });

  test('the target table\'s data never expires and outlives the stack', () => {
    const target = bucket(buckets.TargetBucket);
    expect(target.Properties.LifecycleConfiguration).toEqual({
      Rules: [{ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
    });
    expect(target.DeletionPolicy).toBe('Retain');
  });

  test('the results bucket is not versioned: every query writes new keys, and old results only expire', () => {
    expect(bucket(buckets.ResultsBucket).Properties.VersioningConfiguration).toBeUndefined();
  });
});

describe('the workgroup the construct creates', () => {
  test('leaves the result configuration to each query, encrypts results with SSE-S3, publishes metrics, and has no scan cutoff by default', () => {
    const { template, buckets } = synth();
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      State: 'ENABLED',
      WorkGroupConfiguration: {
        // Athena fails a Hive CTAS with external_location in a workgroup that enforces its result location.
        EnforceWorkGroupConfiguration: false,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: Match.absent(),
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: buckets.ResultsBucket }, '/athena-results/']] },
        },
      },
    });
  });

  test('encrypts results with the given customer managed key (SSE-KMS)', () => {
    let keyArn: unknown;
    const { template } = synth({}, (stack) => {
      const resultsEncryptionKey = new kms.Key(stack, 'ResultsKey', { enableKeyRotation: true });
      keyArn = stack.resolve(resultsEncryptionKey.keyArn);
      return { resultsEncryptionKey };
    });
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: {
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: keyArn } },
      },
    });
  });

  test('cancels a query that scans more than bytesScannedCutoffPerQuery', () => {
    const { template } = synth({ bytesScannedCutoffPerQuery: Size.gibibytes(10) });
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: { BytesScannedCutoffPerQuery: 10 * 1024 ** 3 },
    });
  });
});

describe('the state machine', () => {
  test('logs errors, without execution data, to its own vended-logs log group kept for a year', () => {
    const { template, stack, construct } = synth();
    const logGroup = stack.getLogicalId(construct.logGroup.node.defaultChild as logs.CfnLogGroup);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'),
      RetentionInDays: 365,
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } } }],
        IncludeExecutionData: false,
        Level: 'ERROR',
      },
    });
  });

  test('logs at the configured level and keeps logs as long as configured', () => {
    const { template } = synth({ logLevel: sfn.LogLevel.ALL, logRetention: logs.RetentionDays.THREE_MONTHS });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { LoggingConfiguration: Match.objectLike({ Level: 'ALL' }) });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('traces executions with X-Ray', () => {
    synth().template.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: true } });
  });

  test('runs as a role that only Step Functions in this account may assume', () => {
    synth().template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'states.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        }],
      },
    });
  });
});
