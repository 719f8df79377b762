import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { progressPrinter } from './progress';
import { findWorkflows } from '../assembly/cloud-assembly';
import { ExecutionInput, LocalExecution, RUN_DIR, runLocally } from '../run-locally';
import { UsageError } from '../usage-error';

export const COMMAND = 'cdk-keep-data-up-to-date-local';

export const HELP = `Usage: ${COMMAND} <command> [options]

Runs a KeepDataUpToDate workflow from a synthesized CDK app (any language) on this machine:
Step Functions by aws-local-stepfunctions, Glue and Athena by a local catalog and DuckDB.
No AWS account, no network.

Commands:
  list <cdk.out>                 Lists the KeepDataUpToDate workflows in the cloud assembly.
  run <cdk.out> --data <dir>     Loads the source tables from <dir>, runs the workflow and prints
                                 each state, the rows added and the bytes read.

Options of run:
  --data <dir>        Source tables, one directory each: <dir>/<database>/<table>/ holding
                      Parquet files, hive-partitioned (key=value/ directories) or not, whose
                      columns and partitions are read from the files; or CSV files (with a
                      header row) or JSON lines files (.jsonl) with a schema.json:
                        {"columns": [{"name": "order_id", "type": "string"}, …],
                         "partitionKeys": [{"name": "dt", "type": "string"}]}
                      The directory is read again at the start of each execution.
  --work-dir <dir>    Where the run writes the local S3 (the target's files), the Glue
                      catalog, the lock and the engine's files, and leaves them (default
                      <data>/${RUN_DIR}/, emptied first unless --keep).
  --keep              Continue from what the work directory holds (the target, its watermark,
                      the lock), as the next scheduled execution would.
  --input <json>      The execution input, as JSON text or @file: an object for every
                      execution, or an array with one object per execution.
  --construct <path>  The construct path of the workflow to run, e.g. Analytics/DailySales
                      (see \`list\`). Needed when the assembly has more than one.
  --executions <n>    How many executions to run, one after the other (default 2: the first
                      creates the target, the second updates it).
  -h, --help          Prints this help.

Exit status: 0 when every execution succeeded, 1 when one failed, 2 for bad input.
`;

/** Runs the command line; returns the exit status. */
export async function main(
  argv: string[],
  write: (line: string) => void = (line) => console.log(line),
  writeError: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  try {
    return await command(argv, write);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      writeError(`${COMMAND}: ${(error as Error).message}`);
      if (!(error instanceof UsageError)) writeError(`Run '${COMMAND} --help' for usage.`);
      return 2;
    }
    throw error;
  }
}

async function command(argv: string[], write: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data': { type: 'string' },
      'construct': { type: 'string' },
      'executions': { type: 'string' },
      'work-dir': { type: 'string' },
      'keep': { type: 'boolean' },
      'input': { type: 'string' },
      'help': { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    write(HELP);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const [name, assembly, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (name !== 'run' && name !== 'list') throw new UsageError(`unknown command '${name}' (commands: run, list; see --help)`);
  if (!assembly) throw new UsageError(`${name} needs the cloud assembly directory, e.g. \`${COMMAND} ${name} cdk.out\``);

  if (name === 'list') {
    const workflows = findWorkflows(assembly);
    if (workflows.length === 0) write(`The cloud assembly ${assembly} has no KeepDataUpToDate workflow.`);
    for (const workflow of workflows) {
      write(`${workflow.constructPath}  (stack ${workflow.stackId}; ${workflow.databaseName}.${workflow.targetTableName} from ${workflow.sourceTableNames.join(', ')})`);
    }
    return 0;
  }
  if (!values.data) throw new UsageError('run needs --data <dir>, the directory of source tables (see --help)');
  const input = values.input === undefined ? undefined : parseInput(values.input);
  const executions = values.executions === undefined ? (Array.isArray(input) ? input.length : 2) : Number(values.executions);
  if (!Number.isInteger(executions) || executions < 1) throw new UsageError(`--executions must be a whole number of at least 1 (got '${values.executions}')`);

  let number = 0;
  const printer = progressPrinter(write);
  const run = await runLocally({
    assembly,
    construct: values.construct,
    data: values.data,
    workDirectory: values['work-dir'] ?? path.join(values.data, RUN_DIR),
    keep: values.keep,
    input,
    executions,
    onEvent: (event) => {
      if (event.type === 'ExecutionStarted') write(`\nExecution ${++number} of ${executions}`);
      printer(event);
    },
    onExecution: (execution, i) => write(summary(i, execution)),
  });
  for (const notice of run.notices) write(`\nNote: ${notice}`);
  write(`\nWorkflow ${run.workflow.constructPath}: ${run.target.name} from ${run.sourceTables.map((table) => `${table.databaseName}.${table.tableName} (${table.format}, ${table.rows} rows)`).join(', ')}`);
  if (run.target.directory) {
    write(`Target files: ${path.relative(process.cwd(), run.target.directory) || '.'} (${run.target.rows.length} rows)`);
    for (const line of rowsTable(run.target.rows)) write(`  ${line}`);
  }
  return run.executions.every((execution) => execution.status === 'SUCCEEDED') ? 0 : 1;
}

/** The most rows the command prints; the rest are counted. */
const ROWS_SHOWN = 20;

/** The target's rows as an aligned table, sorted, at most `ROWS_SHOWN` of them (a NULL as an empty cell). */
function rowsTable(rows: ReadonlyArray<Record<string, string | undefined>>): string[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const cells = rows.map((row) => columns.map((column) => row[column] ?? ''))
    .sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000')));
  const shown = [columns, ...cells.slice(0, ROWS_SHOWN)];
  const widths = columns.map((_column, i) => Math.max(...shown.map((cellsOfRow) => cellsOfRow[i].length)));
  const lines = shown.map((cellsOfRow) => cellsOfRow.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  return rows.length > ROWS_SHOWN ? [...lines, `… and ${rows.length - ROWS_SHOWN} more rows`] : lines;
}

/** `--input`: JSON text, or `@file`; an object, or an array of objects. */
function parseInput(text: string): ExecutionInput | ExecutionInput[] {
  let json: string = text;
  if (text.startsWith('@')) {
    if (!fs.existsSync(text.slice(1))) throw new UsageError(`--input ${text}: no such file`);
    json = fs.readFileSync(text.slice(1), 'utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`--input must be JSON (or @file): ${(error as Error).message}`);
  }
  const isObject = (item: unknown) => typeof item === 'object' && item !== null && !Array.isArray(item);
  if (isObject(value) || (Array.isArray(value) && value.length > 0 && value.every(isObject))) return value as ExecutionInput | ExecutionInput[];
  throw new UsageError('--input must be a JSON object, or an array with one object per execution');
}

function summary(number: number, execution: LocalExecution): string {
  if (execution.status !== 'SUCCEEDED') {
    return `Execution ${number} ${execution.status} after ${execution.durationMillis} ms in ${execution.path[execution.path.length - 1]}: ${execution.error}: ${execution.cause}`;
  }
  return `Execution ${number} SUCCEEDED: target ${execution.createdTarget ? 'created' : 'updated'}; ${execution.rowsAdded} rows added; ${execution.bytesRead} bytes read; ${execution.durationMillis} ms`;
}
