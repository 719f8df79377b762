import { readFileSync } from 'fs';
import { DIAGRAM_PATH, renderArchitecture, stateMachineDefinition, synthesizeExample, transitions } from '../scripts/diagram';

describe('docs/architecture.svg', () => {
  const template = synthesizeExample();

  test('matches the synthesized construct (redraw it with `npx projen diagram`)', () => {
    expect(readFileSync(DIAGRAM_PATH, 'utf8')).toEqual(renderArchitecture(template));
  });

  test('draws every transition of the synthesized workflow', () => {
    const edges = transitions(stateMachineDefinition(template));
    expect(edges).toEqual(expect.arrayContaining([
      { from: 'Get Target Table', to: 'Create Target Table', label: 'catch Glue.EntityNotFoundException' },
      { from: 'Get Target Table', to: 'Update Target Table', label: 'succeeded' },
      { from: 'Create Target Table', to: 'Update Target Table', label: '' },
      { from: 'Update Target Table', to: 'End/Update Target Table', label: '' },
    ]));
    const svg = renderArchitecture(template);
    for (const state of Object.keys(stateMachineDefinition(template).States)) {
      expect(svg).toContain(`>${state}</text>`);
    }
    // One arrow per transition: none dropped, none invented.
    expect(svg.match(/<(line|path) [^>]*marker-end/g)).toHaveLength(edges.length);
  });

  test('lists each resource the stack creates', () => {
    const svg = renderArchitecture(template);
    for (const title of ['Athena workgroup (WorkGroup)', 'S3 bucket (ResultsBucket)', 'S3 bucket (TargetBucket)', 'IAM role (Role)', 'CloudWatch Logs (LogGroup)']) {
      expect(svg).toContain(`>${title}</text>`);
    }
    expect(svg).toContain('>objects expire after 30 days</text>');
  });
});
