import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeepDataUpToDateProps, TargetQueries, TargetStorage } from '../src';

/** A stack in a fixed account and region, so ARNs in the template are concrete. */
export function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-1' } });
}

/**
 * The definition of the stack's one state machine, as Step Functions receives it, with each
 * `Ref` shown as `<Ref:LogicalId>`.
 */
export function definitionOf(stack: Stack): any {
  const [machine] = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
  const definition = machine.Properties.DefinitionString;
  const text = typeof definition === 'string'
    ? definition
    : definition['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : `<Ref:${part.Ref}>`)).join('');
  return JSON.parse(text);
}

/**
 * A workflow over `analytics.raw_sales` in the imported bucket `my-lake` (source under `raw/`,
 * target under `curated/`), with `TargetQueries.appendNewerRows` on `dt`, and the overrides.
 */
export function watermarkProps(stack: Stack, overrides: Partial<KeepDataUpToDateProps> = {}): KeepDataUpToDateProps {
  const lake = (stack.node.tryFindChild('Lake') as s3.IBucket | undefined) ?? s3.Bucket.fromBucketName(stack, 'Lake', 'my-lake');
  return {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['raw_sales'],
    queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt', columns: ['order_id', 'amount', 'dt'] }),
    target: TargetStorage.s3({ bucket: lake, prefix: 'curated/' }),
    sourceDataLocations: [{ bucket: lake, prefix: 'raw/' }],
    ...overrides,
  };
}

/**
 * Every identity policy of a synthesized template, as written: the documents of
 * `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` (with the roles they attach to) and the inline
 * policies of roles, users and groups.
 */
export function identityPolicies(template: Record<string, any>): Array<{ where: string; roles: string[]; document: any }> {
  const documents: Array<{ where: string; roles: string[]; document: any }> = [];
  for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      const roles = (properties.Roles ?? []).map((role: any) => role.Ref as string);
      documents.push({ where: logicalId, roles, document: properties.PolicyDocument });
    }
    if (['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(resource.Type)) {
      const roles = resource.Type === 'AWS::IAM::Role' ? [logicalId] : [];
      for (const policy of properties.Policies ?? []) {
        documents.push({ where: `${logicalId}/${policy.PolicyName}`, roles, document: policy.PolicyDocument });
      }
    }
  }
  return documents;
}
