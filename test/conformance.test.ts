import { CONFORMANCE_CASES } from './conformance/cases';
import { runConformance } from './conformance/run-conformance';
import { visitNodes } from '../local/athena/trino/ast';
import { constructOf } from '../local/athena/trino/constructs';
import { loadParser, parseTrino } from '../local/athena/trino/polyglot';
import { SUPPORTED } from '../local/athena/trino/support';

/** Supported constructs whose behaviour test/local-sql-semantics.test.ts or local-translation.test.ts checks instead. */
const CHECKED_ELSEWHERE = ['current_date', 'date_add'];

describe('conformance with Trino\'s documented results', () => {
  test('every case cites the trino.io page its result comes from, and there are at least 150', () => {
    expect(CONFORMANCE_CASES.length).toBeGreaterThanOrEqual(150);
    for (const c of CONFORMANCE_CASES) expect(c.source).toMatch(/^https:\/\/trino\.io\/docs\/current\/[a-z/]+\.html$/);
  });

  test('every construct on the supported list is exercised by a case', async () => {
    await loadParser();
    const exercised = new Set<string>(CHECKED_ELSEWHERE);
    for (const c of CONFORMANCE_CASES) {
      visitNodes(parseTrino(c.query).ast, (node, kind) => {
        const construct = constructOf(node, kind);
        if (construct) exercised.add(construct);
      });
    }

    expect(Object.keys(SUPPORTED).filter((construct) => !exercised.has(construct))).toEqual([]);
  });

  test('the local runner gives the documented answer or refuses, never a different one, and at least 85% are correct', async () => {
    const outcomes = await runConformance(CONFORMANCE_CASES);

    const different = outcomes.filter((outcome) => outcome.verdict === 'different').map((outcome) => `${outcome.case.query}: ${outcome.detail}`);
    expect(different).toEqual([]);
    const correct = outcomes.filter((outcome) => outcome.verdict === 'correct').length;
    expect(correct / outcomes.length).toBeGreaterThanOrEqual(0.85);
  }, 600_000);
});
