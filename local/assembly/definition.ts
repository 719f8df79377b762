import type { App, Stage } from 'aws-cdk-lib';
import { CfnIntrinsics, LOCAL_PSEUDO_PARAMETERS, localName, PseudoParameters, pseudoParametersOf } from './cfn-intrinsics';
import type { StateMachineDefinition } from '../execution/step-functions';
import type { PolicyDocument } from '../iam/policy-evaluator';

/** A CloudFormation template, as the cloud assembly holds it. */
export interface CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, any> }>;
}

/**
 * What the local Athena needs to know of a workgroup the template creates: whether it enforces
 * its configuration, and its result configuration and data usage control.
 */
export interface LocalWorkGroup {
  readonly name: string;
  /** Whether the workgroup's settings override the client's ("Override client-side settings"). */
  readonly enforceConfiguration: boolean;
  readonly outputLocation?: string;
  /** `SSE_S3`, `SSE_KMS` or `CSE_KMS`. */
  readonly encryptionOption?: string;
  readonly kmsKey?: string;
  /** The most bytes one query may scan before Athena cancels it. */
  readonly bytesScannedCutoffPerQuery?: number;
}

/** A state machine of a template, with its definition resolved to plain ASL. */
export interface ResolvedStateMachine {
  readonly logicalId: string;
  /** Its `StateMachineName`, or the local name of its logical id. */
  readonly name: string;
  /** The ARN it would have in the local account and region. */
  readonly arn: string;
  readonly definition: StateMachineDefinition;
  /** The workgroups the same template creates, by name and by local name, so that their queries run under their rules. */
  readonly workGroups?: Record<string, LocalWorkGroup>;
  /** The role the state machine runs as, when the template creates it: every call is checked against its identity policies. */
  readonly role?: StateMachineRole;
  /** The partition, account and region it runs in: its stack's, or the local ones. */
  readonly environment?: PseudoParameters;
}

/** A role of the template and its identity policies, resolved as the definition is. */
export interface StateMachineRole {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly policies: PolicyDocument[];
  /** Why its policies cannot all be read (AWS managed policies), so that nothing is checked. */
  readonly unreadable?: string;
}

/**
 * The state machines of a template, their `DefinitionString` (and `DefinitionSubstitutions`)
 * resolved to the ASL that Step Functions would run.
 */
export function stateMachinesOf(template: CfnTemplate, pseudo: PseudoParameters = LOCAL_PSEUDO_PARAMETERS): ResolvedStateMachine[] {
  const resources = template.Resources ?? {};
  const intrinsics = new CfnIntrinsics(resources, pseudo);
  const workGroups = workGroupsOf(resources, intrinsics);
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, resource]) => {
      const properties = resource.Properties ?? {};
      let text = properties.DefinitionString !== undefined
        ? String(intrinsics.resolve(properties.DefinitionString))
        : JSON.stringify(intrinsics.resolve(properties.Definition));
      const substitutions = intrinsics.resolve(properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
      text = text.replace(/\$\{([^}]+)\}/g, (match, key: string) => (key in substitutions ? String(substitutions[key]) : match));
      const name = properties.StateMachineName !== undefined ? String(intrinsics.resolve(properties.StateMachineName)) : localName(logicalId);
      const roleId = (properties.RoleArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
      return {
        logicalId,
        name,
        arn: `arn:${pseudo.partition}:states:${pseudo.region}:${pseudo.accountId}:stateMachine:${name}`,
        definition: JSON.parse(text) as StateMachineDefinition,
        workGroups,
        role: roleId && resources[roleId]?.Type === 'AWS::IAM::Role' ? readableRoleOf(resources, intrinsics, roleId, pseudo) : undefined,
        environment: pseudo,
      };
    });
}

/** The one state machine of a template (or the one with `logicalId`); fails when that is ambiguous. */
export function stateMachineOf(template: CfnTemplate, logicalId?: string, pseudo?: PseudoParameters): ResolvedStateMachine {
  const machines = stateMachinesOf(template, pseudo).filter((machine) => logicalId === undefined || machine.logicalId === logicalId);
  if (machines.length !== 1) {
    throw new Error(`Expected one state machine${logicalId ? ` '${logicalId}'` : ''} in the template, found ${machines.length}: ${machines.map((machine) => machine.logicalId).join(', ')}`);
  }
  return machines[0];
}

/** Synthesizes an app (or stage) and returns the resolved state machine of the named stack. */
export function synthesizeStateMachine(app: App | Stage, stackName?: string, logicalId?: string): ResolvedStateMachine {
  const assembly = app.synth();
  const stacks = assembly.stacks.filter((stack) => stackName === undefined || stack.stackName === stackName);
  const machines = stacks.filter((stack) => stateMachinesOf(stack.template).length > 0);
  if (machines.length !== 1) {
    throw new Error(`Expected one stack with a state machine${stackName ? ` named '${stackName}'` : ''}, found ${machines.length}`);
  }
  return stateMachineOf(machines[0].template, logicalId, pseudoParametersOf(`aws://${machines[0].environment.account}/${machines[0].environment.region}`));
}

function workGroupsOf(resources: NonNullable<CfnTemplate['Resources']>, intrinsics: CfnIntrinsics): Record<string, LocalWorkGroup> {
  const workGroups: Record<string, LocalWorkGroup> = {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Athena::WorkGroup') continue;
    const properties = intrinsics.resolve(resource.Properties ?? {}) as Record<string, any>;
    const configuration = properties.WorkGroupConfiguration ?? {};
    const results = configuration.ResultConfiguration ?? {};
    // A definition names the workgroup by `Ref` (its local name) or by its name.
    workGroups[localName(logicalId)] = workGroups[properties.Name] = {
      name: properties.Name,
      // CloudFormation's default for EnforceWorkGroupConfiguration is true.
      enforceConfiguration: configuration.EnforceWorkGroupConfiguration ?? true,
      outputLocation: results.OutputLocation,
      encryptionOption: results.EncryptionConfiguration?.EncryptionOption,
      kmsKey: results.EncryptionConfiguration?.KmsKey,
      bytesScannedCutoffPerQuery: configuration.BytesScannedCutoffPerQuery,
    };
  }
  return workGroups;
}

/** The role, or, when its policies use what the runner cannot resolve (another stack's export), why it is not checked. */
function readableRoleOf(resources: NonNullable<CfnTemplate['Resources']>, intrinsics: CfnIntrinsics, logicalId: string, pseudo: PseudoParameters): StateMachineRole {
  try {
    return roleOf(resources, intrinsics, logicalId, pseudo);
  } catch (error) {
    return { logicalId, name: localName(logicalId), arn: '', policies: [], unreadable: `its role's policies cannot be read here (${(error as Error).message})` };
  }
}

/**
 * A role's identity policies: its inline policies, and the `AWS::IAM::Policy` and
 * `AWS::IAM::ManagedPolicy` resources attached to it. A managed policy named by ARN (an AWS
 * managed one) is not in the template, so the role's permissions cannot all be read.
 */
function roleOf(resources: NonNullable<CfnTemplate['Resources']>, intrinsics: CfnIntrinsics, logicalId: string, pseudo: PseudoParameters): StateMachineRole {
  const role = resources[logicalId].Properties ?? {};
  const attachedHere = (properties: Record<string, any> | undefined) => ((properties?.Roles ?? []) as unknown[])
    .some((entry) => (entry as { Ref?: string })?.Ref === logicalId);
  const policies: PolicyDocument[] = [
    ...((role.Policies ?? []) as Array<{ PolicyDocument: unknown }>).map((policy) => policy.PolicyDocument),
    ...Object.values(resources)
      .filter((resource) => (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') && attachedHere(resource.Properties))
      .map((resource) => resource.Properties!.PolicyDocument),
  ].map((document) => intrinsics.resolve(document) as PolicyDocument);
  const managed = ((role.ManagedPolicyArns ?? []) as unknown[]).map((arn) => String(intrinsics.resolve(arn)))
    .filter((arn) => !Object.entries(resources).some(([id, resource]) => resource.Type === 'AWS::IAM::ManagedPolicy' && (localName(id) === arn || arn.endsWith(`/${localName(id)}`))));
  const name = role.RoleName !== undefined ? String(intrinsics.resolve(role.RoleName)) : localName(logicalId);
  return {
    logicalId,
    name,
    arn: `arn:${pseudo.partition}:iam::${pseudo.accountId}:role/${name}`,
    policies,
    unreadable: managed.length > 0 ? `its role has managed policies the template does not hold (${managed.join(', ')})` : undefined,
  };
}
