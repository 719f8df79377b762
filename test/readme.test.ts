import { readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { Annotations, App, Stack } from 'aws-cdk-lib';
import { codeBlocks, expectNoWarningOrError, README, ROOT, synthesizeExample } from './readme-examples';
import { KeepDataUpToDate, TargetQueries, TargetStorage } from '../src';

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
  test('lists exactly the placeholders the construct accepts, for each kind of target storage', () => {
    const documented = [...section('Props').matchAll(/^\| `(\{\{\w+\}\})` \|/gm)].map((match) => match[1]);

    // The construct names every placeholder it allows when it meets one it does not know.
    const allowedWith = (target: TargetStorage): string[] => {
      const stack = new Stack(new App(), 'Placeholders', { env: { account: '111122223333', region: 'eu-west-1' } });
      try {
        new KeepDataUpToDate(stack, 'Target', {
          databaseName: 'analytics',
          targetTableName: 'daily_sales',
          sourceTableNames: ['raw_sales'],
          target,
          queries: TargetQueries.fromTemplates('CREATE TABLE {{database}}.{{nope}} AS SELECT 1', 'INSERT INTO {{database}}.{{targetTable}} SELECT 1'),
        });
      } catch (e) {
        expect((e as Error).message).toMatch(/unknown placeholder \{\{nope\}\}; allowed: /);
        return (e as Error).message.replace(/ \(cdk-keep-data-up-to-date:\w+\)$/, '').split('allowed: ')[1].split(', ');
      }
      throw new Error('an unknown placeholder was accepted');
    };
    const allowed = new Set([
      ...allowedWith(TargetStorage.s3()),
      ...allowedWith(TargetStorage.s3Table({ tableBucketArn: 'arn:aws:s3tables:eu-west-1:111122223333:bucket/tables', namespace: 'sales' })),
    ]);
    expect([...documented].sort()).toEqual([...allowed].sort());
  });
});
