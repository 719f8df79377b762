import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

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
