import * as fs from 'node:fs';
import * as path from 'node:path';
import { createExampleApp, EXAMPLE_TARGET } from './app';
import { addSourcePartitions, createSampleSource, days, SAMPLE_SOURCE } from './sample-data';
import { ExecutionResult, LocalAws, progressPrinter, queryReads, ResolvedStateMachine, synthesizeStateMachine } from '../local/index';
import { TargetQueries } from '../src';

/**
 * The repository's demonstration of the local runner package (`./index`, published as
 * cdk-keep-data-up-to-date-local): synthesizes the example app, then runs its workflow twice against sample data on local
 * disk (demo/.data/, recreated each time): the first run creates the target table, the second
 * adds only the day that arrived in between. With `--watermark`, the app uses
 * `TargetQueries.appendNewerRows`: a watermark step, then windowed inserts.
 */
async function main(argv: string[]): Promise<number> {
  // `npx projen local -- --watermark` passes the separator on.
  const unknown = argv.filter((arg) => arg !== '--watermark' && arg !== '--');
  if (unknown.length > 0) throw new Error(`Usage: demo/main.ts [--watermark] (got ${unknown.join(' ')})`);
  const watermark = argv.includes('--watermark');
  const dataDir = path.join(__dirname, '.data');
  fs.rmSync(dataDir, { recursive: true, force: true });
  const aws = await LocalAws.create(dataDir);
  try {
    const firstDays = days('2026-01-01', 7);
    await createSampleSource(aws, firstDays);
    console.log(`Sample data: ${SAMPLE_SOURCE.databaseName}.${SAMPLE_SOURCE.tableName}, ${firstDays.length} daily partitions (${firstDays[0]} … ${firstDays[firstDays.length - 1]}) under ${path.relative(process.cwd(), aws.s3.pathOf(`s3://${SAMPLE_SOURCE.bucketName}/${SAMPLE_SOURCE.prefix}`))}`);

    const synthStarted = Date.now();
    const machine = synthesizeStateMachine(createExampleApp(watermark
      ? { queries: TargetQueries.appendNewerRows({ sourceTableName: SAMPLE_SOURCE.tableName, watermarkColumn: 'dt', columns: ['order_id', 'customer', 'amount', 'dt'] }) }
      : {}).app);
    console.log(`Synthesized the example stack and resolved its state machine (${Object.keys(machine.definition.States).length} states) in ${Date.now() - synthStarted} ms`);

    const first = await run(aws, 1, machine);
    const newDay = days('2026-01-08', 1);
    await addSourcePartitions(aws, newDay);
    console.log(`\nNew source partition: dt=${newDay[0]}`);
    const second = await run(aws, 2, machine);
    return first.status === 'SUCCEEDED' && second.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    aws.close();
  }
}

async function run(aws: LocalAws, number: number, machine: ResolvedStateMachine): Promise<ExecutionResult> {
  console.log(`\nRun ${number}`);
  const result = await aws.startExecution(machine, { onEvent: progressPrinter() });
  if (result.status === 'FAILED') {
    console.log(`Run ${number} FAILED in ${result.durationMillis} ms: ${result.error}: ${result.cause}`);
    return result;
  }
  const pathTaken = result.statesEntered.includes('Create Target Table') ? 'created' : 'updated';
  const [target] = await aws.query(
    `SELECT count(*) AS row_count, max(dt) AS watermark FROM ${SAMPLE_SOURCE.databaseName}.${EXAMPLE_TARGET.tableName}`,
  );
  const scanned = queryReads(aws.athena, machine, result).map((query) => `${query.state} read ${query.bytesRead} bytes`);
  const step = (result.output as { watermark?: { before?: string; value?: string } }).watermark;
  const watermarkStep = step ? `watermark step: ${step.before || '(empty target)'} → ${step.value}; ` : '';
  console.log(
    `Run ${number} SUCCEEDED: target ${pathTaken}; ${target.row_count} rows in ${SAMPLE_SOURCE.databaseName}.${EXAMPLE_TARGET.tableName}; max(dt) = ${target.watermark}; ${watermarkStep}${scanned.join(', ')}; ${result.durationMillis} ms`,
  );
  return result;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
