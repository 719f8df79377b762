import { readFileSync } from 'fs';
import { DIAGRAM_PATH, renderArchitecture, stateMachineDefinition, synthesizeExample, synthesizeWatermarkExample, transitions, WATERMARK_DIAGRAM_PATH } from '../scripts/diagram';

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

describe('docs/watermark-loop.svg', () => {
  const template = synthesizeWatermarkExample();

  test('matches the synthesized watermark workflow of TargetQueries.appendNewerRows (redraw it with `npx projen diagram`)', () => {
    expect(readFileSync(WATERMARK_DIAGRAM_PATH, 'utf8')).toEqual(renderArchitecture(template, { resources: false }));
  });

  test('draws every state and transition of the loop, the way back from Advance Watermark included', () => {
    const asl = stateMachineDefinition(template);
    const edges = transitions(asl);
    expect(edges).toEqual(expect.arrayContaining([
      { from: 'Get Target Table', to: 'Get Source Table', label: 'succeeded' },
      { from: 'Source Uses Partition Projection?', to: 'Source Uses Partition Projection', label: 'projection.enabled = "true" (any case)' },
      { from: 'Newer Source Data?', to: 'Set Window', label: 'windowResult…VarCharValue present' },
      { from: 'Newer Source Data?', to: 'Target Is Up To Date', label: 'otherwise' },
      { from: 'Update Target Table', to: 'Advance Watermark', label: '' },
      { from: 'Advance Watermark', to: 'Find Next Window', label: '' },
    ]));
    const svg = renderArchitecture(template, { resources: false });
    for (const state of Object.keys(asl.States)) expect(svg).toContain(`>${state}</text>`);
    expect(svg.match(/<(line|path) [^>]*marker-end/g)).toHaveLength(edges.length);
    expect(svg).not.toContain('Athena workgroup');
  });
});
