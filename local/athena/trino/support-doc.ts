import { REFUSED, SUPPORTED } from './support';

const INTRO = `# Athena SQL on the local runner

The local runner runs a CTAS, INSERT or SELECT body with DuckDB. It parses the body with
[polyglot](https://www.npmjs.com/package/@polyglot-sql/sdk)'s Trino grammar, checks every
function, operator and cast against the list below, rewrites those whose DuckDB namesake
behaves differently, and writes DuckDB SQL. A query that uses anything not listed as supported
is refused with an error that names it:

\`\`\`text
The KeepDataUpToDate local runner does not support Athena's regexp_position: DuckDB has no equivalent, so it cannot run it faithfully (see docs/local-sql.md).
\`\`\`

so that a local run never gives an answer Athena would not. Types follow Athena's too: a CTAS
registers \`bigint\` for sums and counts of integers, Trino's decimal precision and scale, \`date\`
where Trino keeps a date, and \`string\` for \`varchar\`; division by zero, an invalid \`CAST\`, an
operator between mismatched types and a \`varchar\` compared with a date or number fail with
Trino's errors.

\`npx projen conformance\` runs the documented results of Trino's functions (test/conformance,
each case citing its trino.io page) as a SELECT and as a CTAS, and prints how many the local
runner answers correctly, refuses, or answers differently. A different answer fails the build.

This file is generated from local/athena/trino/support.ts by \`npx projen docgen:local-sql\`.
`;

/** A construct as inline code in a table cell (a pipe would end the cell). */
export const codeCell = (name: string): string => `\`${name.replace(/\|/g, '\\|')}\``;

/** docs/local-sql.md: what the local runner runs, translates and refuses. */
export function renderSupportDoc(): string {
  const families = [...new Set(Object.values(SUPPORTED).map((entry) => entry.family))];
  const sections = families.map((family) => {
    const rows = Object.entries(SUPPORTED)
      .filter(([, entry]) => entry.family === family)
      .map(([name, entry]) => `| ${codeCell(name)} | ${entry.support} | ${entry.note ?? ''} |`);
    return `### ${family}\n\n| Construct | How | Note |\n| --- | --- | --- |\n${rows.join('\n')}\n`;
  });
  const refused = Object.entries(REFUSED).map(([name, why]) => `| ${codeCell(name)} | ${why} |`);
  return `${INTRO}
## Supported

"same": DuckDB's function behaves as Trino's. "translated": rewritten to Trino's behaviour.
"refused when evaluated": the query runs until a row needs it, then fails naming it.

${sections.join('\n')}
## Refused

Everything not listed above is refused. These are refused with a specific reason:

| Construct | Why |
| --- | --- |
${refused.join('\n')}
`;
}
