import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createExampleApp } from '../demo/app';
import { createSampleSource, days, SAMPLE_SOURCE } from '../demo/sample-data';
import { LocalAws } from '../local/local-aws';

/**
 * How fast `cdk-keep-data-up-to-date-local run` answers, on the example app's cdk.out with its
 * sample data (7 daily partitions of orders as hive-partitioned Parquet): the time from starting
 * the command (a new Node process running the compiled JavaScript) to the first execution's
 * result, and the time of each execution after it. Needs `npx projen local:build` first
 * (`npx projen bench:local` does both).
 *
 *   npx projen bench:local [--executions N] [--repeat R]
 */
async function main(argv: string[]): Promise<void> {
  const option = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const executions = option('--executions', 5);
  const repeat = option('--repeat', 3);
  const command = path.join(__dirname, '..', 'local', 'bin', 'cdk-keep-data-up-to-date-local.js');
  if (!fs.existsSync(path.join(__dirname, '..', 'local', 'lib', 'command', 'cli.js'))) throw new Error('local/lib/ is missing: run `npx projen local:build` first');

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-local-command-'));
  try {
    const assembly = createExampleApp().app.synth({ force: true }).directory;
    const dataDir = await sampleDataDirectory(workDir);
    console.log(`Example app: ${assembly}; sample data: ${SAMPLE_SOURCE.databaseName}.${SAMPLE_SOURCE.tableName}, 7 daily partitions (Parquet)`);
    console.log(`${repeat} runs of: cdk-keep-data-up-to-date-local run <cdk.out> --data <dir> --executions ${executions}\n`);
    const firsts: number[] = [];
    const laters: number[] = [];
    for (let r = 1; r <= repeat; r++) {
      const timing = await timeCommand(command, ['run', assembly, '--data', dataDir, '--executions', String(executions)]);
      firsts.push(timing.firstResult);
      laters.push(...timing.laterExecutions);
      console.log(
        `run ${r}: first result after ${timing.firstResult} ms (of which loading the sample data and starting the engine ${timing.firstStarted} ms); `
        + `later executions ${timing.laterExecutions.join(', ')} ms; exit ${timing.exitCode}`,
      );
    }
    console.log(`\ntime to first result: median ${median(firsts)} ms (target < 2000 ms)`);
    console.log(`time per later execution: median ${median(laters)} ms, max ${Math.max(...laters)} ms (target < 100 ms)`);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The sample source as a user's fixture directory: `sales/orders/dt=…/*.parquet`. */
async function sampleDataDirectory(workDir: string): Promise<string> {
  const scratch = path.join(workDir, 'scratch');
  const aws = await LocalAws.create(scratch);
  try {
    await createSampleSource(aws, days('2026-01-01', 7));
  } finally {
    aws.close();
  }
  const dataDir = path.join(workDir, 'data');
  fs.cpSync(aws.s3.pathOf(`s3://${SAMPLE_SOURCE.bucketName}/${SAMPLE_SOURCE.prefix}`), path.join(dataDir, SAMPLE_SOURCE.databaseName, SAMPLE_SOURCE.tableName), { recursive: true });
  return dataDir;
}

interface Timing {
  /** From spawning the command to its first execution's result line. */
  readonly firstResult: number;
  /** From spawning the command to its first execution's start. */
  readonly firstStarted: number;
  /** Between one execution's result line and the next one's. */
  readonly laterExecutions: number[];
  readonly exitCode: number | null;
}

function timeCommand(command: string, args: string[]): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [command, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const results: number[] = [];
    let firstStarted = NaN;
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const now = performance.now();
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (/^Execution 1 of /.test(line)) firstStarted = now - started;
        if (/^Execution \d+ (SUCCEEDED|FAILED|ABORTED)/.test(line)) results.push(now);
      }
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({
      firstResult: Math.round(results[0] - started),
      firstStarted: Math.round(firstStarted),
      laterExecutions: results.slice(1).map((at, i) => Math.round(at - results[i])),
      exitCode,
    }));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
