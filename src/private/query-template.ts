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
  return renderParameterizedQuery(prop, template, values, []).query;
}

/**
 * Like `renderQuery`, and replaces each of the `runtime` placeholders with a `?` execution
 * parameter, returning which placeholder each `?` stands for, in order. Every runtime placeholder
 * must be used: an update without its window bounds would load rows twice.
 */
export function renderParameterizedQuery(
  prop: string,
  template: string,
  values: Record<string, string>,
  runtime: string[],
): { query: string; parameters: string[] } {
  if (Token.isUnresolved(template) && !template.includes('{{') && runtime.length === 0) return { query: template, parameters: [] };
  if (template.trim() === '') {
    throw new Error(`${prop} must be an Athena SQL statement (got an empty string)`);
  }
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1])
    .filter((name) => !(name in values) && !runtime.includes(name));
  if (unknown.length > 0) {
    const allowed = [...Object.keys(values), ...runtime].map((name) => `{{${name}}}`).join(', ');
    throw new Error(
      `${prop} uses unknown placeholder${unknown.length > 1 ? 's' : ''} ${[...new Set(unknown)].map((name) => `{{${name}}}`).join(', ')}; allowed: ${allowed}`,
    );
  }
  const missing = runtime.filter((name) => ![...template.matchAll(PLACEHOLDER)].some((match) => match[1] === name));
  if (missing.length > 0) {
    throw new Error(
      `${prop} must use ${missing.map((name) => `{{${name}}}`).join(' and ')} with a watermark, e.g. WHERE dt > {{watermark}} AND dt <= {{windowEnd}}`,
    );
  }
  const parameters: string[] = [];
  const query = template.replace(PLACEHOLDER, (_match, name: string) => {
    if (runtime.includes(name)) {
      parameters.push(name);
      return '?';
    }
    return values[name];
  });
  return { query, parameters };
}
