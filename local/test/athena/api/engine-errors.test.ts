import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { createSampleSource, days, SAMPLE_SOURCE } from '../../../../demo/sample-data';
import { KeepDataUpToDate, TargetQueries, WatermarkColumnType } from '../../../../src';
import { synthesizeStateMachine } from '../../../assembly/definition';
import { QueryFailedError } from '../../../athena/api/local-athena';
import { LocalAws } from '../../../local-aws';

/*
 * What the local engine refuses is reported as Athena reports it (Trino's error name, position
 * and message), or as the runner's own limit: never in DuckDB's words (docs/athena-rules.md rule 19).
 */

let aws: LocalAws;
beforeEach(async () => {
  aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-messages-')));
  await createSampleSource(aws, days('2026-01-01', 2), 2);
});
afterEach(() => {
  aws.close();
  fs.rmSync(aws.dataDir, { recursive: true, force: true });
});

/** Why a query failed, as its GetQueryExecution's StateChangeReason says; or the runner's error. */
async function failure(query: string): Promise<{ name: string; reason: string }> {
  try {
    await aws.athena.startQueryExecution({ QueryString: query });
  } catch (error) {
    if (error instanceof QueryFailedError) return { name: 'FAILED', reason: error.queryExecution.Status.StateChangeReason! };
    return { name: (error as Error).name, reason: (error as Error).message };
  }
  throw new Error(`the query succeeded: ${query}`);
}

const DUCKDB_WORDS = /Binder Error|Invalid Input Error|Parser Error|Conversion Error|Catalog Error|FROM clause!|explicit cast/;

test.each([
  ['a missing column', 'SELECT sale_date FROM sales.orders', "COLUMN_NOT_FOUND: line 1:8: Column 'sale_date' cannot be resolved"],
  ['a missing column on a later line, quoted', 'SELECT order_id\nFROM sales.orders WHERE "sale_date" > 1', "COLUMN_NOT_FOUND: line 2:25: Column 'sale_date' cannot be resolved"],
  ['a missing qualified column', 'SELECT o.order_id FROM sales.orders o JOIN sales.orders p ON o.order_id = p.nope', "COLUMN_NOT_FOUND: line 1:75: Column 'p.nope' cannot be resolved"],
  ['a missing table, unqualified', 'SELECT * FROM nope', "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.nope' does not exist"],
  ['a date compared with a string column', "SELECT order_id FROM sales.orders WHERE dt > DATE '2026-01-01'", 'TYPE_MISMATCH: line 1:44: Cannot apply operator: varchar > date'],
  ['a string column compared with a date, on the right', "SELECT order_id FROM sales.orders WHERE DATE '2026-01-01' < dt", 'TYPE_MISMATCH: line 1:59: Cannot apply operator: date < varchar'],
])('%s fails with Athena\'s message', async (_name, query, reason) => {
  expect(await failure(query)).toEqual({ name: 'FAILED', reason });
});

test('a syntax error fails as Athena reports one, at the token where the parse stopped', async () => {
  const { name, reason } = await failure('SELECT order_id FORM sales.orders');
  expect(name).toBe('FAILED');
  expect(reason).toMatch(/^SYNTAX_ERROR: line 1:22: mismatched input 'sales' /);
  expect(reason).not.toMatch(/does not support/);
});

test('a failure whose Athena message the runner does not know is the runner\'s limit, without DuckDB\'s words', async () => {
  const { name, reason } = await failure("SELECT order_id FROM sales.orders WHERE regexp_like(order_id, 'x)')");
  expect(name).toBe('LocalRunner.UnsupportedStatement');
  expect(reason).toMatch(/^The KeepDataUpToDate local runner cannot say how Athena answers this statement/);
  expect(reason).not.toMatch(DUCKDB_WORDS);
  expect(reason).not.toMatch(/unexpected \)/);
});

describe('a workflow', () => {
  function machine(column: string, watermarkType?: WatermarkColumnType) {
    const app = new App();
    const stack = new Stack(app, 'Messages');
    const lake = s3.Bucket.fromBucketName(stack, 'Lake', SAMPLE_SOURCE.bucketName);
    new KeepDataUpToDate(stack, 'Copy', {
      databaseName: SAMPLE_SOURCE.databaseName,
      sourceTableNames: [SAMPLE_SOURCE.tableName],
      targetTableName: 'orders_copy',
      queries: TargetQueries.appendNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, watermarkColumn: column, watermarkType, columns: ['order_id', column] }),
      sourceDataLocations: [{ bucket: lake, prefix: SAMPLE_SOURCE.prefix }],
      targetDataLocation: { bucket: lake, prefix: 'curated/orders_copy/' },
    });
    return synthesizeStateMachine(app);
  }

  test('whose watermark column is not in the source fails with COLUMN_NOT_FOUND', async () => {
    const execution = await aws.startExecution(machine('sale_date'));
    expect(execution.status).toBe('FAILED');
    expect(JSON.parse(execution.cause!).QueryExecution.Status.StateChangeReason).toMatch(/^COLUMN_NOT_FOUND: line \d+:\d+: Column 'sale_date' cannot be resolved$/);
  });

  test('with a DATE watermark on a string column fails with Cannot apply operator', async () => {
    const execution = await aws.startExecution(machine('dt', WatermarkColumnType.DATE));
    expect(execution.status).toBe('FAILED');
    const reason = JSON.parse(execution.cause!).QueryExecution.Status.StateChangeReason;
    expect(reason).toMatch(/^TYPE_MISMATCH: line \d+:\d+: Cannot apply operator: varchar [<>=]+ date$/);
    expect(reason).not.toMatch(DUCKDB_WORDS);
  });
});
