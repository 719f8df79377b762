import * as fs from 'node:fs';
import * as path from 'node:path';
import { createExampleApp, EXAMPLE_TARGET } from './app';
import { ResolvedStateMachine, synthesizeStateMachine } from './definition';
import { ExecutionResult } from './executor';
import { LocalAws } from './local-aws';
import { progressPrinter } from './progress';
import { addSourcePartitions, createSampleSource, days, SAMPLE_SOURCE } from './sample-data';

/**
 * Synthesizes the example app, then runs its workflow twice against sample data on local
 * disk (local/.data/, recreated each time): the first run creates the target table, the second
 * adds only the day that arrived in between.
 */
async function main(): Promise<number> {
  const dataDir = path.join(__dirname, '.data');
  fs.rmSync(dataDir, { recursive: true, force: true });
  const aws = await LocalAws.create(dataDir);
  try {
    const firstDays = days('2026-01-01', 7);
    await createSampleSource(aws, firstDays);
    console.log(`Sample data: ${SAMPLE_SOURCE.databaseName}.${SAMPLE_SOURCE.tableName}, ${firstDays.length} daily partitions (${firstDays[0]} … ${firstDays[firstDays.length - 1]}) under ${path.relative(process.cwd(), aws.s3.pathOf(`s3://${SAMPLE_SOURCE.bucketName}/${SAMPLE_SOURCE.prefix}`))}`);

    const synthStarted = Date.now();
    const machine = synthesizeStateMachine(createExampleApp().app);
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
  const output = result.output as Record<string, { DataScannedInBytes?: number } | undefined>;
  const scanned = ['createTarget', 'updateTarget']
    .filter((query) => output[query]?.DataScannedInBytes !== undefined)
    .map((query) => `${query} read ${output[query]!.DataScannedInBytes} bytes`);
  console.log(
    `Run ${number} SUCCEEDED: target ${pathTaken}; ${target.row_count} rows in ${SAMPLE_SOURCE.databaseName}.${EXAMPLE_TARGET.tableName}; watermark max(dt) = ${target.watermark}; ${scanned.join(', ')}; ${result.durationMillis} ms`,
  );
  return result;
}

main().then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
