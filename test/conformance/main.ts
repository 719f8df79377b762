import { CONFORMANCE_CASES } from './cases';
import { runConformance, Verdict } from './run-conformance';

/**
 * Prints how the local runner answers the documented Trino behaviours in the conformance
 * suite: per family, then `N correct, N refused, N different`. Exits non-zero on any
 * "different" (a silently different answer) or when fewer than 85% are correct.
 */
async function main(): Promise<void> {
  const outcomes = await runConformance(CONFORMANCE_CASES);
  const verbose = process.argv.includes('--verbose');
  const count = (verdict: Verdict, family?: string) =>
    outcomes.filter((outcome) => outcome.verdict === verdict && (family === undefined || outcome.case.family === family)).length;
  for (const family of [...new Set(outcomes.map((outcome) => outcome.case.family))]) {
    console.log(`${family.padEnd(40)} ${count('correct', family)} correct, ${count('refused', family)} refused, ${count('different', family)} different`);
  }
  for (const outcome of outcomes.filter((o) => o.verdict === 'different' || (verbose && o.verdict === 'refused'))) {
    console.log(`${outcome.verdict.toUpperCase()}: ${outcome.case.query.slice(-150)}\n    ${outcome.detail?.replace(/\s+/g, ' ').slice(0, 400)}`);
  }
  const correct = count('correct');
  console.log(`\n${correct} correct, ${count('refused')} refused, ${count('different')} different (${outcomes.length} cases, ${(100 * correct / outcomes.length).toFixed(1)}% correct)`);
  if (count('different') > 0 || correct < 0.85 * outcomes.length) process.exitCode = 1;
}

void main();
