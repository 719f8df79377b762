import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sameCell } from './compare-cells';
import { ConformanceCase } from './conformance-case';
import { QueryFailedError } from '../../local/athena/api/local-athena';
import { LocalAws } from '../../local/local-aws';

export type Verdict = 'correct' | 'refused' | 'different';

export interface Outcome {
  readonly case: ConformanceCase;
  readonly verdict: Verdict;
  /** What differed, or why the runner refused. */
  readonly detail?: string;
}

type Run = { rows: Array<Array<string | undefined>> } | { refused: string } | { failed: string };

const DATABASE = 'conformance';
const REFUSAL = /local runner does not support/;

/**
 * Runs each case on the local runner twice, as Athena would run it: as a plain SELECT, and as
 * the body of a CTAS whose registered column types and written rows are then checked. A case
 * is correct only when both give Trino's documented answer; a refusal is never a pass.
 */
export async function runConformance(cases: readonly ConformanceCase[]): Promise<Outcome[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-'));
  const aws = await LocalAws.create(dataDir);
  aws.catalog.createDatabase(DATABASE);
  try {
    const outcomes: Outcome[] = [];
    for (const [i, conformanceCase] of cases.entries()) outcomes.push(await judge(aws, conformanceCase, `case_${i}`));
    return outcomes;
  } finally {
    aws.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function judge(aws: LocalAws, c: ConformanceCase, table: string): Promise<Outcome> {
  const select = await run(aws, c.query);
  const columns = c.types.map((_type, i) => `c${i}`).join(', ');
  const created = await run(aws, `CREATE TABLE ${table} WITH (format = 'PARQUET', external_location = 's3://conformance/${table}/') AS SELECT * FROM (${c.query}) AS q(${columns})`);
  const stored = 'rows' in created ? await run(aws, `SELECT * FROM ${table}`) : created;
  const registered = aws.catalog.getTable(DATABASE, table)?.columns.map((column) => column.type);
  const problems = [
    check('SELECT', select, c),
    check('CTAS', stored, c),
    registered && registered.join() !== c.types.join() ? `CTAS registered [${registered.join(', ')}], Athena [${c.types.join(', ')}]` : undefined,
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) return { case: c, verdict: 'different', detail: problems.join('; ') };
  const refusal = [select, created].find((outcome): outcome is { refused: string } => 'refused' in outcome);
  return refusal ? { case: c, verdict: 'refused', detail: refusal.refused } : { case: c, verdict: 'correct' };
}

async function run(aws: LocalAws, sql: string): Promise<Run> {
  try {
    const execution = await aws.athena.startQueryExecution({ QueryString: sql, QueryExecutionContext: { Database: DATABASE } });
    return { rows: aws.athena.queryResults(execution.QueryExecutionId)?.rows ?? [] };
  } catch (error) {
    const message = error instanceof QueryFailedError ? error.queryExecution.Status.StateChangeReason ?? '' : (error as Error).message;
    return REFUSAL.test(message) ? { refused: message } : { failed: message };
  }
}

/** What is wrong with one run, or undefined when it is Trino's answer (or a refusal). */
function check(what: string, outcome: Run, c: ConformanceCase): string | undefined {
  if ('refused' in outcome) return undefined;
  if (c.error !== undefined) {
    if ('failed' in outcome && outcome.failed.includes(c.error)) return undefined;
    return `${what} should fail with "${c.error}" but ${'failed' in outcome ? `failed with "${outcome.failed}"` : 'succeeded'}`;
  }
  if ('failed' in outcome) return `${what} failed: ${outcome.failed}`;
  if (what === 'CTAS' && outcome.rows.length === 0 && c.rows.length === 0) return undefined;
  if (!sameRows(c, outcome.rows)) return `${what} gave ${JSON.stringify(outcome.rows)}`;
  return undefined;
}

function sameRows(c: ConformanceCase, actual: Array<Array<string | undefined>>): boolean {
  if (actual.length !== c.rows.length) return false;
  const matches = (expected: ConformanceCase['rows'][number], row: Array<string | undefined>) =>
    row.length === expected.length && expected.every((cell, i) => sameCell(cell, row[i]));
  if (c.ordered) return c.rows.every((expected, i) => matches(expected, actual[i]));
  const unmatched = [...actual];
  return c.rows.every((expected) => {
    const index = unmatched.findIndex((row) => matches(expected, row));
    if (index < 0) return false;
    unmatched.splice(index, 1);
    return true;
  });
}
