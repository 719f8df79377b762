import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { anchorsOf, brokenLinks, ROOT } from './markdown-links';

/*
 * The README is what a new user reads: at most 35 KB, the reference in docs/. Every relative link
 * between the README, docs/, CONTRIBUTING.md and local/README.md resolves, heading anchors included.
 */

const README_LIMIT_BYTES = 35_000;

const pages = ['README.md', 'CONTRIBUTING.md', 'local/README.md',
  ...readdirSync(path.join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

/** Why a README is too large for a first read, or undefined when it is not. */
function sizeProblem(readme: string): string | undefined {
  const bytes = Buffer.byteLength(readme);
  return bytes > README_LIMIT_BYTES ? `README.md is ${bytes} bytes, over ${README_LIMIT_BYTES}: move reference material to docs/` : undefined;
}

test(`README.md is at most ${README_LIMIT_BYTES} bytes`, () => {
  expect(sizeProblem(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))).toBeUndefined();
});

test('every page of docs/ is reachable from the README', () => {
  const linksOf = (page: string) => [...readFileSync(path.join(ROOT, page), 'utf8').matchAll(/\]\(([^)#\s]+\.md)/g)]
    .map((match) => path.posix.normalize(path.posix.join(path.posix.dirname(page), match[1])));
  const reached = new Set(['README.md']);
  for (const page of reached) for (const linked of linksOf(page)) if (pages.includes(linked)) reached.add(linked);
  expect(pages.filter((page) => page.startsWith('docs/') && !reached.has(page))).toEqual([]);
});

test.each(pages)('every relative link of %s resolves, anchors included', (page) => {
  expect(brokenLinks(page, readFileSync(path.join(ROOT, page), 'utf8'))).toEqual([]);
});

describe('the link check', () => {
  const files: Record<string, string> = {
    'README.md': '# Title\n\n## Test it before you deploy\n\nSee [rules](docs/rules.md#1-a-rule).\n',
    'docs/rules.md': '# Rules\n\n## 1. A rule\n\n## Another `code` heading\n\nBack to [the README](../README.md#test-it-before-you-deploy).\n',
  };
  const read = (file: string) => files[file];

  test('passes a README and a page that link each other', () => {
    expect(brokenLinks('README.md', files['README.md'], read)).toEqual([]);
    expect(brokenLinks('docs/rules.md', files['docs/rules.md'], read)).toEqual([]);
  });

  test('fails on a link to a missing file', () => {
    expect(brokenLinks('README.md', 'See [gone](docs/gone.md).', read)).toEqual(['README.md: docs/gone.md (no file docs/gone.md)']);
  });

  test('fails on a link to a missing heading, in another file or the same one', () => {
    expect(brokenLinks('README.md', 'See [rule](docs/rules.md#2-no-such-rule) and [here](#nowhere).', read)).toEqual([
      'README.md: docs/rules.md#2-no-such-rule (no heading #2-no-such-rule in docs/rules.md)',
      'README.md: #nowhere (no heading #nowhere in README.md)',
    ]);
  });

  test('checks a link to this repository on GitHub as a relative one, and ignores code', () => {
    expect(brokenLinks('local/README.md', '[x](https://github.com/cdk-keep-data-up-to-date/cdk-keep-data-up-to-date/blob/main/docs/none.md) `[y](nope.md)`', read))
      .toEqual(['local/README.md: https://github.com/cdk-keep-data-up-to-date/cdk-keep-data-up-to-date/blob/main/docs/none.md (no file docs/none.md)']);
  });

  test('names headings as GitHub does', () => {
    expect([...anchorsOf('## 1. An enforcing workgroup refuses a Hive CTAS with `external_location`\n## The `*` resources, and why\n## A\n## A')])
      .toEqual(['1-an-enforcing-workgroup-refuses-a-hive-ctas-with-external_location', 'the--resources-and-why', 'a', 'a-1']);
  });
});

test('the README size check fails on a README one byte over the limit', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const seeded = readme + 'x'.repeat(README_LIMIT_BYTES + 1 - Buffer.byteLength(readme));
  expect(sizeProblem(seeded)).toBe(`README.md is ${README_LIMIT_BYTES + 1} bytes, over ${README_LIMIT_BYTES}: move reference material to docs/`);
});
