import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderSupportDoc } from '../local/athena/trino/support-doc';

// Rewrites docs/local-sql.md from the code's list (local/test/athena/trino/sql-doc.test.ts checks it is current).
fs.writeFileSync(path.join(__dirname, '..', 'docs', 'local-sql.md'), renderSupportDoc());
