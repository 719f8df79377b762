import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * The README's "Test it before you deploy" shows the stack, fixtures and test this repository runs
 * (local/test/example/), and its stack is the quick start's workflow.
 */

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The README's fenced blocks of a language (the first word of the info string), in order. */
function blocks(language: string): string[] {
  return [...README.matchAll(/^```(\w+)[^\n]*\n([\s\S]*?)^```$/gm)].filter((match) => match[1] === language).map((match) => match[2]);
}

const read = (file: string) => fs.readFileSync(path.join(__dirname, '..', 'local', 'test', 'example', file), 'utf8');

/** The import lines sorted: the linter orders the repository's imports by its own groups. */
const importsSorted = (code: string) => {
  const lines = code.split('\n');
  const imports = lines.filter((line) => line.startsWith('import ')).sort();
  return [...imports, ...lines.filter((line) => !line.startsWith('import '))].join('\n');
};

test('the README\'s test is the test the repository runs (local/test/example/sales-curated.test.ts)', () => {
  const readmeTest = blocks('tsx').find((block) => block.startsWith('// test/sales-curated.test.ts\n'))!;
  expect(importsSorted(readmeTest.replace('// test/sales-curated.test.ts\n', '')
    .replace("'../lib/analytics-stack'", "'./analytics-stack'")))
    .toEqual(importsSorted(read('sales-curated.test.ts')));
});

test('the README\'s stack and fixtures are those the repository\'s test uses', () => {
  const readmeStack = blocks('ts').find((block) => block.startsWith('// lib/analytics-stack.ts\n'))!;
  const repositoryStack = read('analytics-stack.ts')
    .replace("// In an app: import { KeepDataUpToDate, TargetQueries } from 'cdk-keep-data-up-to-date';\nimport { KeepDataUpToDate, TargetQueries } from '../../../src';", "import { KeepDataUpToDate, TargetQueries } from 'cdk-keep-data-up-to-date';");
  expect(readmeStack.replace('// lib/analytics-stack.ts\n', '')).toEqual(repositoryStack);
  expect(blocks('csv')).toEqual([read('fixtures/analytics/raw_sales/raw_sales.csv')]);
  expect(blocks('json')).toEqual([read('fixtures/analytics/raw_sales/schema.json')]);
});

test('the README\'s stack holds the quick start\'s workflow', () => {
  // From the source data's bucket to the end of `new KeepDataUpToDate(…)`, indentation aside.
  const workflow = (code: string) => code
    .slice(code.indexOf('// Where the source'), code.indexOf('});', code.indexOf('new KeepDataUpToDate(')) + 3)
    .split('\n').map((line) => line.trim()).filter(Boolean).join('\n');
  const stack = blocks('ts').find((block) => block.startsWith('// lib/analytics-stack.ts\n'))!;
  expect(workflow(stack).replace(/\(this, /g, '(stack, ')).toEqual(workflow(blocks('ts')[0]));
});
