import { Token, Tokenization } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { fail } from './errors';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]*)\s*\}\}/g;

/**
 * Substitutes `{{name}}` placeholders in an Athena query template at synth time.
 *
 * Values may be tokens (a bucket name, say): they stay in the string and resolve in the
 * state machine definition. A placeholder that is not in `values` is an error that names it,
 * so that a typo never reaches Athena. The `runtime` placeholders are left in place, written
 * `{{name}}`, for `runtimeQuery` to fill in during each execution; every one of them must be used:
 * an update without its window bounds would load rows twice.
 */
export function renderQuery(scope: IConstruct, prop: string, template: string, values: Record<string, string>, runtime: string[] = []): string {
  if (Token.isUnresolved(template) && !template.includes('{{') && runtime.length === 0) return template;
  if (template.trim() === '') {
    fail(scope, 'InvalidQueryTemplate', `${prop} must be an Athena SQL statement (got an empty string)`);
  }
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1])
    .filter((name) => !(name in values) && !runtime.includes(name));
  if (unknown.length > 0) {
    const allowed = [...Object.keys(values), ...runtime].map((name) => `{{${name}}}`).join(', ');
    fail(scope, 'InvalidQueryTemplate',
      `${prop} uses unknown placeholder${unknown.length > 1 ? 's' : ''} ${[...new Set(unknown)].map((name) => `{{${name}}}`).join(', ')}; allowed: ${allowed}`,
    );
  }
  const missing = runtime.filter((name) => ![...template.matchAll(PLACEHOLDER)].some((match) => match[1] === name));
  if (missing.length > 0) {
    fail(scope, 'InvalidQueryTemplate',
      `${prop} must use ${missing.map((name) => `{{${name}}}`).join(' and ')} with a watermark, e.g. WHERE dt > {{watermark}} AND dt <= {{windowEnd}}`,
    );
  }
  return template.replace(PLACEHOLDER, (_match, name: string) => (runtime.includes(name) ? `{{${name}}}` : values[name]));
}

/**
 * The statement as Step Functions builds it in each execution: `States.Format` with each
 * runtime `{{name}}` replaced by the value at the JSONPath `bindings[name]` (or by an intrinsic
 * function's value, such as `sfn.JsonPath.uuid()`). The rest of the
 * text is escaped for the intrinsic function, where `'`, `{`, `}` and `\` are reserved
 * (see docs/athena-rules.md rule 12); aws-cdk-lib
 * escapes quotes and backslashes, this escapes the braces, and leaves tokens (a bucket name) as
 * they are, to resolve in the definition.
 */
export function runtimeQuery(query: string, bindings: Record<string, string>): string {
  // Tokens become markers without braces while the text around them is escaped.
  const tokens: string[] = [];
  const text = Tokenization.reverseString(query)
    .mapTokens({ mapToken: (token) => `\u0000${tokens.push(Token.asString(token)) - 1}\u0000` })
    .join({ join: (left: unknown, right: unknown) => `${left}${right}` }) as string | undefined ?? '';
  const paths: string[] = [];
  const format = text.split(RUNTIME_PLACEHOLDER).map((part, i) => {
    if (i % 2 === 0) return part.replace(/[{}]/g, (brace) => `\\${brace}`);
    paths.push(bindings[part]);
    return '{}';
  }).join('').replace(/\u0000(\d+)\u0000/g, (_marker, i: string) => tokens[Number(i)]);
  return sfn.JsonPath.format(format, ...paths.map((path) => (Token.isUnresolved(path) ? path : sfn.JsonPath.stringAt(path))));
}

const RUNTIME_PLACEHOLDER = /\{\{(\w+)\}\}/;
