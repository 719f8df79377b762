import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { KeepDataUpToDate } from '../src';

const ROOT = path.join(__dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The fenced code blocks of the README in a language, in order. */
function codeBlocks(language: string): string[] {
  return [...README.matchAll(/^```(\w+)[^\n]*\n([\s\S]*?)^```$/gm)]
    .filter((match) => match[1] === language)
    .map((match) => match[2]);
}

/** The README section under a `## heading`, up to the next one. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section '${heading}'`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('README quick start', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'readme-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes a stack with the workflow, as a reader would run it', () => {
    // GIVEN the quick start exactly as printed, importing this package from its sources
    const quickStart = codeBlocks('ts')[0];
    expect(quickStart).toContain('new KeepDataUpToDate(');
    const js = ts.transpileModule(quickStart, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText
      .replace(/require\("cdk-keep-data-up-to-date"\)/g, 'require("../src")');

    // WHEN it runs, writing its cloud assembly to a scratch directory
    const previous = process.env.CDK_OUTDIR;
    process.env.CDK_OUTDIR = outdir;
    try {
      new Function('require', 'exports', js)(require, {});
    } finally {
      if (previous === undefined) delete process.env.CDK_OUTDIR;
      else process.env.CDK_OUTDIR = previous;
    }

    // THEN the stack holds the workflow, and reading the source data is allowed
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const stack = manifest.artifacts.Analytics;
    const messages = Object.values<any[]>(stack.metadata ?? {}).flat();
    expect(messages.filter((m) => m.type === 'aws:cdk:error')).toEqual([]);
    expect(messages.filter((m) => m.type === 'aws:cdk:warning' && JSON.stringify(m.data).includes('cdk-keep-data-up-to-date'))).toEqual([]);

    const template = readFileSync(path.join(outdir, stack.properties.templateFile), 'utf8');
    expect(template).toContain('AWS::StepFunctions::StateMachine');
    for (const state of ['Get Target Table', 'Create Target Table', 'Update Target Table']) {
      expect(template).toContain(`\\"${state}\\":{`);
    }
    expect(template).toContain(':s3:::my-raw-data-bucket/sales/*');
  });
});

describe('README set-up commands', () => {
  const commands = codeBlocks('sh')
    .find((block) => block.includes('npx projen test'))!
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);

  test('are exactly two: install and run the main job, then run every test', () => {
    expect(commands).toEqual(['npm ci && npx projen local', 'npx projen test']);
  });

  test('name projen tasks that exist', () => {
    const tasks = JSON.parse(readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
    expect(Object.keys(tasks)).toEqual(expect.arrayContaining(['local', 'test']));
  });

  test('.ci/run runs the README test command after a clean install', () => {
    const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').split('\n').map((line) => line.trim());
    const install = ci.indexOf('npm ci');
    expect(install).toBeGreaterThanOrEqual(0);
    expect(ci.indexOf(commands[1])).toBeGreaterThan(install);
  });
});

describe('README placeholders', () => {
  test('lists exactly the placeholders the construct accepts', () => {
    const documented = [...section('Props').matchAll(/^\| `(\{\{\w+\}\})` \|/gm)].map((match) => match[1]);

    // The construct names every placeholder it allows when it meets one it does not know.
    const unknown = () => new KeepDataUpToDate(new Stack(new App(), 'Placeholders'), 'Target', {
      databaseName: 'analytics',
      targetTableName: 'daily_sales',
      sourceTableNames: ['raw_sales'],
      createTargetQuery: 'CREATE TABLE {{database}}.{{nope}} AS SELECT 1',
      updateTargetQuery: 'INSERT INTO {{database}}.{{targetTable}} SELECT 1',
    });
    expect(unknown).toThrow(/unknown placeholder \{\{nope\}\}; allowed: /);
    let allowed: string[] = [];
    try {
      unknown();
    } catch (e) {
      allowed = (e as Error).message.split('allowed: ')[1].split(', ');
    }
    expect([...documented].sort()).toEqual([...allowed].sort());
  });
});
