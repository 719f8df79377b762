import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package README's fenced blocks of a language, in order. */
function blocks(language: string): string[] {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  return [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]);
}


test('the package README sends TypeScript users to the construct README\'s tested example', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain('README.md#test-it-before-you-deploy');
  expect(blocks('ts')).toEqual([]);
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
