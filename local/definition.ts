import type { App, Stage } from 'aws-cdk-lib';
import { CfnIntrinsics, LOCAL_PSEUDO_PARAMETERS, localName, PseudoParameters } from './cfn-intrinsics';
import type { StateMachineDefinition } from './step-functions';

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
      return {
        logicalId,
        name,
        arn: `arn:${pseudo.partition}:states:${pseudo.region}:${pseudo.accountId}:stateMachine:${name}`,
        definition: JSON.parse(text) as StateMachineDefinition,
        workGroups,
      };
    });
}

/** The one state machine of a template (or the one with `logicalId`); fails when that is ambiguous. */
export function stateMachineOf(template: CfnTemplate, logicalId?: string): ResolvedStateMachine {
  const machines = stateMachinesOf(template).filter((machine) => logicalId === undefined || machine.logicalId === logicalId);
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
  return stateMachineOf(machines[0].template, logicalId);
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
