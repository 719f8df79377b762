import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package README's fenced blocks of a language, in order. */
function blocks(language: string): string[] {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  return [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]);
}

const read = (file: string) => fs.readFileSync(path.join(__dirname, file), 'utf8');

/** The import lines sorted: the linter orders the repository's imports by its own groups. */
const importsSorted = (code: string) => {
  const lines = code.split('\n');
  const imports = lines.filter((line) => line.startsWith('import ')).sort();
  return [...imports, ...lines.filter((line) => !line.startsWith('import '))].join('\n');
};

test('the package README\'s test is the test the repository runs (local/test/example/daily-sales.test.ts)', () => {
  const readmeTest = blocks('ts').find((block) => block.startsWith('// test/daily-sales.test.ts\n'))!;
  expect(importsSorted(readmeTest.replace('// test/daily-sales.test.ts\n', '')
    .replace("'../lib/analytics-stack'", "'./analytics-stack'")))
    .toEqual(importsSorted(read('example/daily-sales.test.ts')));
});

test('the package README\'s incremental test is the one the repository runs (local/test/example/daily-sales-incremental.test.ts)', () => {
  const readmeTest = blocks('ts').find((block) => block.startsWith('// test/daily-sales-incremental.test.ts\n'))!;
  expect(importsSorted(readmeTest.replace('// test/daily-sales-incremental.test.ts\n', '')
    .replace("'../lib/analytics-stack'", "'./analytics-stack'")))
    .toEqual(importsSorted(read('example/daily-sales-incremental.test.ts')));
});

test('the package README\'s stack and fixtures are those the repository\'s test uses', () => {
  const readmeStack = blocks('ts').find((block) => block.startsWith('// lib/analytics-stack.ts\n'))!;
  const repositoryStack = read('example/analytics-stack.ts')
    .replace("// In an app: import { KeepDataUpToDate } from 'cdk-keep-data-up-to-date';\nimport { KeepDataUpToDate } from '../../../src';", "import { KeepDataUpToDate } from 'cdk-keep-data-up-to-date';")
    .replace(/\/\*\* The stack of the README.*\*\/\n/, '');
  expect(readmeStack.replace('// lib/analytics-stack.ts\n', '')).toEqual(repositoryStack);
  expect(blocks('csv')).toEqual([read('example/fixtures/sales/orders/orders.csv')]);
  expect(blocks('json')).toEqual([read('example/fixtures/sales/orders/schema.json')]);
});

test('the package README says what a local pass does not prove, and the main README links to it', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = /\n## What a local pass does not prove\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  for (const topic of ['bucket policies', 'KMS key policies', 'Lake Formation', 'quotas', 'Timing']) expect(section).toContain(topic);
  expect(fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8')).toContain('(local/README.md#what-a-local-pass-does-not-prove)');
});

test('the package README\'s layout and recipes name files and folders that exist', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const development = readme.slice(readme.indexOf('### The package\'s layout'));
  expect(development).toMatch(/### How to add an Athena function[\s\S]*### How to add an AWS API/);
  const named = [...development.matchAll(/`([a-z0-9-]+(?:\/[a-z0-9.*-]+)*\/?(?:\.ts)?)`/g)].map((match) => match[1])
    .filter((name) => name.includes('/') || name.endsWith('.ts'));
  expect(named.length).toBeGreaterThan(15);
  const root = path.join(__dirname, '..', '..');
  const exists = (name: string) => [path.join(__dirname, '..', name), path.join(root, name)]
    .some((candidate) => fs.existsSync(candidate) || fs.existsSync(candidate.replace(/\/$/, '')));
  expect(named.filter((name) => !exists(name))).toEqual([]);
});
