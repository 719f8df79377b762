import { CONFORMANCE_CASES } from './conformance/cases';
import { runConformance } from './conformance/run-conformance';

describe('conformance with Trino\'s documented results', () => {
  test('every case cites the trino.io page its result comes from, and there are at least 150', () => {
    expect(CONFORMANCE_CASES.length).toBeGreaterThanOrEqual(150);
    for (const c of CONFORMANCE_CASES) expect(c.source).toMatch(/^https:\/\/trino\.io\/docs\/current\/[a-z/]+\.html$/);
  });

  test('the local runner gives the documented answer or refuses, never a different one, and at least 85% are correct', async () => {
    const outcomes = await runConformance(CONFORMANCE_CASES);

    const different = outcomes.filter((outcome) => outcome.verdict === 'different').map((outcome) => `${outcome.case.query}: ${outcome.detail}`);
    expect(different).toEqual([]);
    const correct = outcomes.filter((outcome) => outcome.verdict === 'correct').length;
    expect(correct / outcomes.length).toBeGreaterThanOrEqual(0.85);
  }, 600_000);
});
