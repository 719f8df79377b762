import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..');

/** Links to this repository's files on GitHub are checked as the relative links they stand for. */
const REPOSITORY_URL = /^https:\/\/github\.com\/cdk-keep-data-up-to-date\/cdk-keep-data-up-to-date\/blob\/main\//;

/** A Markdown text without its fenced code blocks and inline code, where `[x](y)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '``');
}

/** The anchors GitHub gives a Markdown file's headings. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const seen = counts.get(slug) ?? 0;
    anchors.add(seen === 0 ? slug : `${slug}-${seen}`);
    counts.set(slug, seen + 1);
  }
  return anchors;
}

/**
 * The broken links of a Markdown file of the repository (given its path from the root, and its
 * text): a relative link to a file that does not exist, or to a heading the file does not have.
 */
export function brokenLinks(file: string, markdown: string, read: (file: string) => string | undefined = readRepositoryFile): string[] {
  const broken: string[] = [];
  for (const [, target] of prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
    const relative = target.replace(REPOSITORY_URL, '/');
    if (/^[a-z]+:/i.test(relative)) continue;
    const [filePart, anchor] = relative.split('#');
    const linked = filePart === '' ? file
      : filePart.startsWith('/') ? filePart.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(file), filePart));
    const text = read(linked);
    if (text === undefined) {
      broken.push(`${file}: ${target} (no file ${linked})`);
    } else if (anchor !== undefined && linked.endsWith('.md') && !anchorsOf(text).has(anchor)) {
      broken.push(`${file}: ${target} (no heading #${anchor} in ${linked})`);
    }
  }
  return broken;
}

function readRepositoryFile(file: string): string | undefined {
  const full = path.join(ROOT, file);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
}
