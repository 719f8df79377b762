import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';

/*
 * cdk-nag reads acknowledgements from construct metadata that aws-cdk-lib's own `Validations`
 * writes, so the construct acknowledges the findings it causes without depending on cdk-nag.
 * An acknowledgement matches a finding only by its exact ID, e.g.
 * `AwsSolutions-IAM5[Resource::<Bucket1234.Arn>/sales/*]`, so the IDs are computed from the
 * resolved policy exactly as cdk-nag computes them (test/nag.test.ts proves that they match).
 */

/**
 * Actions that support no resource-level permissions: AWS only accepts `*` for them. Each is
 * named with what needs it; any other action on `*` stays unacknowledged.
 */
const ACTIONS_ONLY_ON_ANY_RESOURCE: Record<string, string> = {
  'lakeformation:GetDataAccess': 'Lake Formation',
  'cloudwatch:PutMetricData': 'the freshness metric, allowed in its namespace only by the cloudwatch:namespace condition',
  'logs:CreateLogDelivery': 'Step Functions logging',
  'logs:GetLogDelivery': 'Step Functions logging',
  'logs:UpdateLogDelivery': 'Step Functions logging',
  'logs:DeleteLogDelivery': 'Step Functions logging',
  'logs:ListLogDeliveries': 'Step Functions logging',
  'logs:PutResourcePolicy': 'Step Functions logging',
  'logs:DescribeResourcePolicies': 'Step Functions logging',
  'logs:DescribeLogGroups': 'Step Functions logging',
  'xray:PutTraceSegments': 'X-Ray tracing',
  'xray:PutTelemetryRecords': 'X-Ray tracing',
  'xray:GetSamplingRules': 'X-Ray tracing',
  'xray:GetSamplingTargets': 'X-Ray tracing',
};

const ACTION_GROUP_REASONS: Record<string, string> = {
  's3:GetObject*': 'IBucket.grantRead action group: object reads (GetObject, GetObjectVersion, GetObjectTagging…), only on objects under each data location\'s prefix',
  's3:GetBucket*': 'IBucket.grantRead action group: bucket metadata reads Athena needs (GetBucketLocation), only on the buckets of the data locations',
  's3:List*': 'IBucket.grantRead action group: ListBucket lets Athena list a table\'s files and CTAS check that the target location is empty; ListMultipartUploadParts lets it resume uploads. Only on the buckets and prefixes of the data locations',
  's3:Abort*': 'IBucket.grantPut action group: AbortMultipartUpload, so Athena can abandon an incomplete upload; only on objects under the target and results prefixes',
  'kms:ReEncrypt*': 'IBucket.grantPut key actions for a bucket encrypted with a customer managed key; only on that key',
  'kms:GenerateDataKey*': 'IBucket.grantPut key actions for a bucket encrypted with a customer managed key (S3 generates a data key per object); only on that key',
};

/** A data location, named for the reasons of the acknowledgements. */
export interface NamedLocation {
  /** What the location holds, e.g. 'the target table's data'. */
  readonly purpose: string;
  readonly bucket: s3.IBucket;
  readonly prefix: string;
}

/**
 * Acknowledges the IAM5 findings of statements that the buckets' grant methods created for the
 * data locations: the action groups, the `<bucket>/<prefix>*` object patterns, and the key
 * action groups on the customer managed keys the buckets name.
 */
export function acknowledgeGrantWildcards(role: IConstruct, statements: iam.PolicyStatement[], locations: NamedLocation[]): void {
  const stack = Stack.of(role);
  const keyArns = new Set(locations.flatMap((location) => location.bucket.encryptionKey
    ? [flattenReference(stack.resolve(location.bucket.encryptionKey.keyArn))]
    : []));
  // The key statements come from the grants the bucket methods make on the key, not in `statements`.
  const policy = role.node.tryFindChild('DefaultPolicy');
  const keyStatements = policy instanceof iam.Policy
    ? asArray<any>(stack.resolve(policy.document)?.Statement).filter((statement) =>
      asArray<string>(statement.Action).every((action) => action.startsWith('kms:'))
      && asArray(statement.Resource).every((resource) => keyArns.has(flattenReference(resource))))
    : [];
  const patternPurposes = new Map<string, string[]>();
  for (const location of locations) {
    const pattern = flattenReference(stack.resolve(location.bucket.arnForObjects(`${location.prefix}*`)));
    patternPurposes.set(pattern, [...(patternPurposes.get(pattern) ?? []), location.purpose]);
  }
  const acknowledgements = new Map<string, string>();
  for (const json of [...statements.map((statement) => stack.resolve(statement.toStatementJson())), ...keyStatements]) {
    if (json.Effect !== 'Allow') continue;
    for (const action of asArray<string>(json.Action).filter((a) => a.includes('*'))) {
      const reason = ACTION_GROUP_REASONS[action];
      if (reason) acknowledgements.set(`AwsSolutions-IAM5[Action::${action}]`, reason);
    }
    for (const resource of asArray(json.Resource).map(flattenReference).filter((r) => r.includes('*'))) {
      const purposes = patternPurposes.get(resource);
      if (purposes) {
        acknowledgements.set(`AwsSolutions-IAM5[Resource::${resource}]`,
          `Objects under the prefix of ${purposes.join(' and ')}: Athena names the files it reads and writes at query time, so the grant covers the prefix and nothing outside it`);
      }
    }
  }
  for (const [id, reason] of acknowledgements) {
    acknowledge(role, id, reason);
  }
}

/**
 * Acknowledges the IAM5 finding of the lock's `states:DescribeExecution` grant: an execution's
 * ARN ends in its name, which is known only when it starts, so the grant covers the executions of
 * this state machine (`execution:<name>:*`) and no other.
 */
export function acknowledgeLockHolderDescription(role: IConstruct, executionsArn: string): void {
  const resource = flattenReference(Stack.of(role).resolve(executionsArn));
  acknowledge(role, `AwsSolutions-IAM5[Resource::${resource}]`,
    'DescribeExecution on the executions of this workflow\'s own state machine: the lock asks whether the execution that holds it is still running, and execution names are known only at run time');
}

/**
 * Records an acknowledgement where cdk-nag looks for it. `Validations.acknowledge` rejects IDs
 * with more than one `::` (it reserves `::` for its own prefixes), and a finding on an ARN such
 * as `arn:<AWS::Partition>:s3:::bucket/prefix/*` has several; those are written to the same
 * metadata entry that `Validations` writes.
 */
function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (id.split('::').length <= 2) {
    Validations.of(scope).acknowledge({ id, reason });
  } else {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}

/**
 * Acknowledges the findings a finished `KeepDataUpToDate` causes by design:
 * - `AwsSolutions-IAM5[Resource::*]` when every action on `*` is one that supports no
 *   resource-level permissions;
 * - `AwsSolutions-S1` on each bucket it created without server access logs;
 * - `AwsSolutions-SF1` when the state machine logs less than `ALL`.
 */
export function acknowledgeNagFindings(scope: IConstruct): void {
  for (const child of scope.node.children) {
    if (child instanceof iam.Role) acknowledgeActionsOnAnyResource(child);
    if (child instanceof s3.Bucket) acknowledgeMissingAccessLogs(child);
    if (child instanceof sfn.StateMachine) acknowledgeLogLevel(child);
  }
}

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::*]` on a role whose every action on `*` supports no
 * resource-level permissions (see `ACTIONS_ONLY_ON_ANY_RESOURCE`); any other leaves it unacknowledged.
 */
export function acknowledgeActionsOnAnyResource(role: iam.Role): void {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof iam.Policy)) return;
  const document = Stack.of(role).resolve(policy.document);
  const onAnyResource = asArray<any>(document?.Statement)
    .filter((statement) => statement.Effect === 'Allow' && asArray(statement.Resource).map(flattenReference).includes('*'))
    .flatMap((statement) => asArray<string>(statement.Action));
  if (onAnyResource.length === 0 || !onAnyResource.every((action) => action in ACTIONS_ONLY_ON_ANY_RESOURCE)) return;
  const byPurpose = new Map<string, string[]>();
  for (const action of new Set(onAnyResource)) {
    const purpose = ACTIONS_ONLY_ON_ANY_RESOURCE[action];
    byPurpose.set(purpose, [...(byPurpose.get(purpose) ?? []), action]);
  }
  const list = [...byPurpose].map(([purpose, actions]) => `${actions.join(', ')} (${purpose})`).join('; ');
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `Only actions that support no resource-level permissions, which AWS accepts only on '*', are granted on '*': ${list}`,
  });
}

function acknowledgeMissingAccessLogs(bucket: s3.Bucket): void {
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  if (cfn.loggingConfiguration !== undefined) return;
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'Server access logs need a separate log bucket that the user owns, so they are opt-in (serverAccessLogsBucket). The bucket blocks public access, enforces SSL and encrypts every object',
  });
}

function acknowledgeLogLevel(stateMachine: sfn.StateMachine): void {
  const cfn = stateMachine.node.defaultChild as sfn.CfnStateMachine;
  const logging = Stack.of(stateMachine).resolve(cfn.loggingConfiguration);
  if (!logging || logging.level === 'ALL') return;
  Validations.of(stateMachine).acknowledge({
    id: 'AwsSolutions-SF1',
    reason: `The state machine logs at level ${logging.level} (logLevel; default ERROR): Standard workflows keep their full execution history in Step Functions, so ALL would only duplicate it into CloudWatch Logs at vended-log prices`,
  });
}

/**
 * Turns a resolved CloudFormation value into the string cdk-nag uses in a finding ID:
 * `Fn::Join` joined, `Ref` as `<Name>`, `Fn::GetAtt` as `<Name.Attribute>`, `${x}` as `<x>`.
 */
export function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, any>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'];
    return (items as unknown[]).map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenReference(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(value);
}

function asArray<T = unknown>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Acknowledges the IAM5 findings of the table optimizers' role: objects under the target's
 * prefix (the files compaction rewrites and retention and orphan-file deletion delete are known
 * only when they run) and Glue's optimizer log groups, whose streams Glue names.
 */
export function acknowledgeMaintenanceWildcards(role: IConstruct, objectsArn: string, logGroupArns: string[]): void {
  const stack = Stack.of(role);
  acknowledge(role, `AwsSolutions-IAM5[Resource::${flattenReference(stack.resolve(objectsArn))}]`,
    'Objects under the target table\'s prefix only: the Glue table optimizers rewrite and delete files whose names they find when they run, and nothing outside the prefix');
  for (const arn of logGroupArns) {
    acknowledge(role, `AwsSolutions-IAM5[Resource::${flattenReference(stack.resolve(arn))}]`,
      'The log streams of one AWS Glue table optimizer log group, which Glue names as it runs (https://docs.aws.amazon.com/glue/latest/dg/optimization-prerequisites.html)');
  }
}

/**
 * Acknowledges the IAM5 finding of the S3 Tables target's table actions: a table's ARN ends in
 * an ID S3 gives it at creation, so they are granted on the bucket's tables (`<bucket>/table/*`)
 * and held to the one table by the `s3tables:namespace` and `s3tables:tableName` conditions.
 */
export function acknowledgeS3TablesTableWildcard(role: IConstruct, tablesArn: string, namespace: string, tableName: string): void {
  acknowledge(role, `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(role).resolve(tablesArn))}]`,
    `A table's ARN ends in an ID S3 Tables gives it when the workflow creates it; the statement is held to ${namespace}.${tableName} by the s3tables:namespace and s3tables:tableName conditions`);
}
