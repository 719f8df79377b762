import { rmSync } from 'fs';
import { Annotations, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { codeBlocks, expectNoWarningOrError, synthesizeExample } from './readme-examples';

/*
 * Every TypeScript example of the README is a complete app: run exactly as printed, it
 * synthesizes with no error and no warning, and cdk-nag's AwsSolutions checks find
 * nothing in it (the construct acknowledges, with reasons, what it needs by design).
 */

// The README's "Test it before you deploy" stack is a module of an app (`// lib/…`), not an app:
// test/local-package-readme.test.ts checks it.
const examples = codeBlocks('ts').filter((block) => !block.startsWith('// lib/'));

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
      expectNoWarningOrError(stack);

      const findings = new AwsSolutionsChecks(synthesized.app).validateScope(stack).violations
        .map((violation) => `${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
    } finally {
      rmSync(synthesized.outdir, { recursive: true, force: true });
    }
  },
);

test('the warning check fails on a warning of this library', () => {
  // GIVEN a clean example
  const synthesized = synthesizeExample(examples[0]);
  try {
    const stack = synthesized.app.node.findChild('Analytics') as Stack;
    expectNoWarningOrError(stack);

    // WHEN the construct warns
    Annotations.of(stack.node.findChild('SalesCurated')).addWarningV2('cdk-keep-data-up-to-date:seeded', 'A seeded warning');

    // THEN the check reports it
    expect(() => expectNoWarningOrError(stack)).toThrow(/warning at \/Analytics\/SalesCurated: A seeded warning \[ack: cdk-keep-data-up-to-date:seeded\]/);
  } finally {
    rmSync(synthesized.outdir, { recursive: true, force: true });
  }
});

test('the Lake Formation example\'s second deploy (-c targetTableExists=true) grants on the target table, with no warning', () => {
  // GIVEN the example, and the context `cdk deploy -c targetTableExists=true` passes it
  const example = examples.find((code) => code.includes('targetTableExists'))!;
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ targetTableExists: 'true' });
  let synthesized;
  try {
    synthesized = synthesizeExample(example);
  } finally {
    delete process.env.CDK_CONTEXT_JSON;
  }
  try {
    // THEN maintenanceRole has its table grant, and nothing is acknowledged or warned
    const stack = synthesized.app.node.findChild('Governed') as Stack;
    expectNoWarningOrError(stack);
    const grants = Template.fromStack(stack).findResources('AWS::LakeFormation::PrincipalPermissions');
    expect(JSON.stringify(grants)).toContain('"Name":"sales_governed"');
  } finally {
    rmSync(synthesized.outdir, { recursive: true, force: true });
  }
});
