/*
 * IAM's evaluation of identity policies, for the calls a role makes: an explicit Deny wins, then
 * an Allow, else the call is implicitly denied. Actions match case-insensitively, resources
 * case-sensitively, both with `*` and `?`. See docs/athena-rules.md rule 20.
 */

/** A policy document as IAM reads it (one statement or a list). */
export interface PolicyDocument {
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | boolean | readonly (string | boolean)[]>>;
  readonly Principal?: unknown;
}

/** A request: the action, the resource ARN it names, and the condition keys the request carries. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** The decision of a principal's identity policies on a request (no resource policy, boundary or SCP: see rule 20). */
export function evaluate(policies: readonly PolicyDocument[], request: AuthorizationRequest): Decision {
  let allowed = false;
  for (const statement of policies.flatMap((policy) => [policy.Statement].flat() as PolicyStatement[])) {
    if (!applies(statement, request)) continue;
    if (statement.Effect === 'Deny') return 'ExplicitlyDenied';
    allowed = true;
  }
  return allowed ? 'Allowed' : 'ImplicitlyDenied';
}

function applies(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  const list = (value: string | readonly string[] | undefined) => (value === undefined ? undefined : [value].flat() as string[]);
  const actions = list(statement.Action);
  const notActions = list(statement.NotAction);
  if (actions && !actions.some((pattern) => wildcard(pattern, request.action, true))) return false;
  if (notActions && notActions.some((pattern) => wildcard(pattern, request.action, true))) return false;
  const resources = list(statement.Resource);
  const notResources = list(statement.NotResource);
  if (resources && !resources.some((pattern) => wildcard(pattern, request.resource, false))) return false;
  if (notResources && notResources.some((pattern) => wildcard(pattern, request.resource, false))) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, values]) => {
    const expected = ([values].flat() as Array<string | boolean>).map(String);
    return condition(operator, request.context?.[key] ?? request.context?.[key.toLowerCase()], expected);
  }));
}

/** `*` any run of characters, `?` any one character. */
export function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, ignoreCase ? 'is' : 's').test(value);
}

/**
 * The condition operators the synthesized policies use, and their near kin
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
 * a key the request lacks matches no operator but a negated one, `…IfExists` and `Null`.
 */
function condition(operator: string, value: string | undefined, expected: string[]): boolean {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (base === 'Null') return expected.some((flag) => (flag === 'true') === (value === undefined));
  if (value === undefined) return ifExists || base.includes('Not');
  switch (base) {
    case 'StringEquals': case 'ArnEquals': return expected.includes(value);
    case 'StringNotEquals': case 'ArnNotEquals': return !expected.includes(value);
    case 'StringEqualsIgnoreCase': return expected.some((item) => item.toLowerCase() === value.toLowerCase());
    case 'StringNotEqualsIgnoreCase': return !expected.some((item) => item.toLowerCase() === value.toLowerCase());
    case 'StringLike': case 'ArnLike': return expected.some((pattern) => wildcard(pattern, value, false));
    case 'StringNotLike': case 'ArnNotLike': return !expected.some((pattern) => wildcard(pattern, value, false));
    case 'Bool': return expected.includes(value);
    default:
      throw new Error(`The local runner cannot evaluate the IAM condition operator ${operator}`);
  }
}
