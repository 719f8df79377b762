import { App, Aws, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { stateMachineOf, stateMachinesOf, synthesizeStateMachine } from '../../assembly/definition';

test('resolves Fn::Join, Ref and Fn::GetAtt in a synthesized definition to local values', () => {
  // GIVEN a state machine whose definition names a bucket, its ARN, the partition and the region
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const bucket = new s3.Bucket(stack, 'Data');
  new sfn.StateMachine(stack, 'Machine', {
    stateMachineName: 'my-machine',
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Describe', {
      parameters: {
        bucket: bucket.bucketName,
        arn: bucket.bucketArn,
        where: `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:x`,
      },
    })),
  });

  // WHEN the app is synthesized and the definition resolved
  const machine = synthesizeStateMachine(app);

  // THEN references become the resource's lower-cased logical id (an ARN in its service's form), pseudo parameters local values
  const logicalId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  expect(machine.name).toBe('my-machine');
  expect(machine.arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:my-machine');
  expect((machine.definition.States.Describe as { Parameters: unknown }).Parameters).toEqual({
    bucket: logicalId.toLowerCase(),
    arn: `arn:aws:s3:::${logicalId.toLowerCase()}`,
    where: 'arn:aws:states:us-east-1:123456789012:x',
  });
});

test('applies DefinitionSubstitutions', () => {
  const template = {
    Resources: {
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"${Greeting}","End":true}}}',
          DefinitionSubstitutions: { Greeting: { 'Fn::Join': ['', ['hello ', { Ref: 'AWS::Region' }]] } },
        },
      },
    },
  };

  expect((stateMachineOf(template).definition.States.A as { Result: unknown }).Result).toBe('hello us-east-1');
});

test('fails on an intrinsic function it cannot resolve, naming it', () => {
  const template = {
    Resources: {
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { DefinitionString: { 'Fn::ImportValue': 'SharedDefinition' } },
      },
    },
  };

  expect(() => stateMachineOf(template)).toThrow('The local runner cannot resolve Fn::ImportValue in a state machine definition');
});

test('a role whose policies use what the runner cannot resolve is read as not checkable, not as an error', () => {
  const template = {
    Resources: {
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::ImportValue': 'Other:BucketArn' } }] },
        },
      },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
          DefinitionString: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}',
        },
      },
    },
  };
  const [machine] = stateMachinesOf(template);
  expect(machine.role?.unreadable).toMatch(/^its role's policies cannot be read here \(The local runner cannot resolve Fn::ImportValue/);
});
