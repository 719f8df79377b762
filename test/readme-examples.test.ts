import { rmSync } from 'fs';
import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { codeBlocks, synthesizeExample } from './readme-examples';

/*
 * Every TypeScript example of the README is a complete app: run exactly as printed, it
 * synthesizes with no error and no warning of this library, and cdk-nag's AwsSolutions checks find
 * nothing in it (the construct acknowledges, with reasons, what it needs by design).
 */

const examples = codeBlocks('ts');

test('the README has its examples, each a whole app', () => {
  expect(examples.length).toBeGreaterThanOrEqual(6);
  for (const example of examples) {
    expect(example).toMatch(/^const app = new App\(\);$/m);
    expect(example).toMatch(/^app\.synth\(\);$/m);
  }
});

test.each(examples.map((example, i) => [i, example.match(/new Stack\(app, '(\w+)'\)/)?.[1] ?? '?', example]))(
  'example %i (stack %s) synthesizes and passes cdk-nag AwsSolutions with no finding',
  (_index, stackName, example) => {
    const synthesized = synthesizeExample(example as string);
    try {
      const stack = synthesized.app.node.findChild(stackName as string) as Stack;
      const messages = Object.values<any[]>(synthesized.manifest.artifacts[stack.artifactId].metadata ?? {}).flat();
      expect(messages.filter((m) => m.type === 'aws:cdk:error')).toEqual([]);
      expect(messages.filter((m) => m.type === 'aws:cdk:warning' && JSON.stringify(m.data).includes('cdk-keep-data-up-to-date'))).toEqual([]);

      const findings = new AwsSolutionsChecks(synthesized.app).validateScope(stack).violations
        .map((violation) => `${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
    } finally {
      rmSync(synthesized.outdir, { recursive: true, force: true });
    }
  },
);
