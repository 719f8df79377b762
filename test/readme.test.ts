import { readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { Annotations, App, Stack } from 'aws-cdk-lib';
import { codeBlocks, expectNoWarningOrError, README, ROOT, synthesizeExample } from './readme-examples';
import { KeepDataUpToDate } from '../src';

/** The README section under a `## heading`, up to the next one. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section '${heading}'`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('README quick start', () => {
  test('synthesizes a stack with the workflow, as a reader would run it', () => {
    // GIVEN the quick start exactly as printed
    const quickStart = codeBlocks('ts')[0];
    expect(quickStart).toContain('new KeepDataUpToDate(');

    // WHEN it runs, writing its cloud assembly to a scratch directory
    const example = synthesizeExample(quickStart);
    try {
      // THEN the stack holds the workflow, and reading the source data is allowed
      expectNoWarningOrError(example.app.node.findChild('Analytics') as Stack);

      const stack = example.manifest.artifacts.Analytics;
      const template = readFileSync(path.join(example.outdir, stack.properties.templateFile), 'utf8');
      expect(template).toContain('AWS::StepFunctions::StateMachine');
      for (const state of ['Get Target Table', 'Create Target Table', 'Update Target Table']) {
        expect(template).toContain(`\\"${state}\\":{`);
      }
      expect(template).toContain(':s3:::my-raw-data-bucket/sales/*');
    } finally {
      rmSync(example.outdir, { recursive: true, force: true });
    }
  });
});

describe('README quick start check', () => {
  test('fails on a warning', () => {
    const example = synthesizeExample(codeBlocks('ts')[0]);
    try {
      const stack = example.app.node.findChild('Analytics') as Stack;
      Annotations.of(stack).addWarningV2('cdk-keep-data-up-to-date:seeded', 'A seeded warning');
      expect(() => expectNoWarningOrError(stack)).toThrow(/A seeded warning/);
    } finally {
      rmSync(example.outdir, { recursive: true, force: true });
    }
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
      allowed = (e as Error).message.replace(/ \(cdk-keep-data-up-to-date:\w+\)$/, '').split('allowed: ')[1].split(', ');
    }
    expect([...documented].sort()).toEqual([...allowed].sort());
  });
});
