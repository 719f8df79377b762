import * as fs from 'node:fs';
import * as path from 'node:path';
import { REFUSED, SUPPORTED } from '../../../athena/trino/support';
import { codeCell, renderSupportDoc } from '../../../athena/trino/support-doc';

test('docs/local-sql.md is the supported list in the code (npx projen docgen:local-sql rewrites it)', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'docs', 'local-sql.md'), 'utf8');

  expect(doc).toBe(renderSupportDoc());
  for (const name of [...Object.keys(SUPPORTED), ...Object.keys(REFUSED)]) expect(doc).toContain(codeCell(name));
});
