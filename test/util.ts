import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeepDataUpToDateProps, TargetQueries } from '../src';

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
    targetDataLocation: { bucket: lake, prefix: 'curated/' },
    sourceDataLocations: [{ bucket: lake, prefix: 'raw/' }],
    ...overrides,
  };
}
