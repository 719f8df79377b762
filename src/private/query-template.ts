import { Token } from 'aws-cdk-lib';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]*)\s*\}\}/g;

/**
 * Substitutes `{{name}}` placeholders in an Athena query template at synth time.
 *
 * Values may be tokens (a bucket name, say): they stay in the string and resolve in the
 * state machine definition. A placeholder that is not in `values` is an error that names it,
 * so that a typo never reaches Athena.
 */
export function renderQuery(prop: string, template: string, values: Record<string, string>): string {
  if (Token.isUnresolved(template) && !template.includes('{{')) return template;
  if (template.trim() === '') {
    throw new Error(`${prop} must be an Athena SQL statement (got an empty string)`);
  }
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1])
    .filter((name) => !(name in values));
  if (unknown.length > 0) {
    const allowed = Object.keys(values).map((name) => `{{${name}}}`).join(', ');
    throw new Error(
      `${prop} uses unknown placeholder${unknown.length > 1 ? 's' : ''} ${[...new Set(unknown)].map((name) => `{{${name}}}`).join(', ')}; allowed: ${allowed}`,
    );
  }
  return template.replace(PLACEHOLDER, (_match, name: string) => values[name]);
}
