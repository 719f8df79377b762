import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseWorkflow, findWorkflows, WorkflowInAssembly } from './assembly/cloud-assembly';
import type { ResolvedStateMachine } from './assembly/definition';
import { queryReads } from './athena/api/query-reads';
import { localDatabase } from './athena/statements/catalog-views';
import { validate } from './execution/executor';
import type { EventLog } from './execution/step-functions';
import { loadSourceTables, LoadedTable } from './fixtures/data-lake';
import { LocalAws } from './local-aws';
import { UsageError } from './usage-error';

/** The command's work directory, inside the data directory, unless `--work-dir` names another. */
export const RUN_DIR = '.cdk-keep-data-up-to-date';

/** The input of an execution, as `StartExecution` takes it. */
export type ExecutionInput = Record<string, unknown>;

export interface RunLocallyOptions {
  /** The cloud assembly directory `cdk synth` writes (usually `cdk.out`). */
  readonly assembly: string;
  /** The construct path of the `KeepDataUpToDate` to run. @default - the only one in the assembly */
  readonly construct?: string;
  /** The directory of source tables, `<database>/<table>/`, read again at the start of each execution. */
  readonly data: string;
  /**
   * Where the run keeps the local S3 (the target's files), the Glue catalog, the DynamoDB lock and
   * the engine's files.
   * @default - a new temporary directory for each run, so that runs in parallel never share one
   */
  readonly workDirectory?: string;
  /**
   * Continue from what `workDirectory` holds (the target, its watermark, the lock), as the deployed
   * workflow's next scheduled execution would; else the work directory is emptied first.
   * @default false
   */
  readonly keep?: boolean;
  /**
   * The execution input: one for every execution, or one per execution (then `executions` is
   * their number).
   * @default {} for every execution
   */
  readonly input?: ExecutionInput | readonly ExecutionInput[];
  /** How many executions to run, one after the other. @default 2 (the first creates the target, the second updates it), or the number of inputs */
  readonly executions?: number;
  /** Called with each execution event as it happens. @default - none */
  readonly onEvent?: (event: EventLog) => void;
  /**
   * Called as each execution ends, with what it did and its number (from 1); the next execution
   * starts when it returns (or its promise settles), so it may change the data directory.
   * @default - none
   */
  readonly onExecution?: (execution: LocalExecution, number: number) => void | Promise<void>;
}

/** One local execution of the workflow. */
export interface LocalExecution {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** The states entered, in order: the execution's path through the workflow. */
  readonly path: string[];
  /** Whether this execution created the target table (else it updated it, or failed). */
  readonly createdTarget: boolean;
  /** Rows the target gained. */
  readonly rowsAdded: number;
  /** Bytes the execution's Athena queries read (their DataScannedInBytes). */
  readonly bytesRead: number;
  readonly durationMillis: number;
  /** The error of a failed execution, e.g. `States.TaskFailed`. */
  readonly error?: string;
  /** Why it failed: for a failed query, Athena's reason. */
  readonly cause?: string;
}

/** What a local run did. */
export interface LocalRun {
  readonly workflow: Omit<WorkflowInAssembly, 'machine'>;
  /** The source tables as the last execution read them. */
  readonly sourceTables: LoadedTable[];
  readonly executions: LocalExecution[];
  /** The work directory the run used (pass it with `keep` to continue from it). */
  readonly workDirectory: string;
  /** What the run could not check, each said once: e.g. reads of a table whose fixture states no S3 location. */
  readonly notices: string[];
  /** The target table after the last execution. */
  readonly target: {
    /** `database.table`. */
    readonly name: string;
    /** Where its files are on disk (under the data directory). */
    readonly directory: string;
    /** Its rows, each column's value as text (as Athena's GetQueryResults gives it), in no particular order. */
    readonly rows: Array<Record<string, string | undefined>>;
  };
}

/**
 * Runs a synthesized `KeepDataUpToDate` on this machine: loads the source tables from `data`,
 * then runs the workflow `executions` times with aws-local-stepfunctions and DuckDB in place of
 * Step Functions, Glue and Athena, and reads the target.
 */
export async function runLocally(options: RunLocallyOptions): Promise<LocalRun> {
  const inputs = Array.isArray(options.input) ? options.input as readonly ExecutionInput[] : undefined;
  const executions = options.executions ?? inputs?.length ?? 2;
  if (!Number.isInteger(executions) || executions < 1) throw new UsageError(`executions must be a whole number of at least 1 (got ${options.executions})`);
  if (inputs && inputs.length !== executions) throw new UsageError(`input has ${inputs.length} execution inputs for ${executions} executions: give one for all, or one per execution`);
  const inputOf = (i: number): ExecutionInput => (inputs ? inputs[i] : (options.input as ExecutionInput | undefined) ?? {});
  if (options.keep && !options.workDirectory) throw new UsageError('keep continues from a work directory: name it with workDirectory');
  const { machine, ...workflow } = chooseWorkflow(findWorkflows(options.assembly), options.assembly, options.construct);
  const runDir = options.workDirectory ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-keep-data-up-to-date-'));
  if (!options.keep) fs.rmSync(runDir, { recursive: true, force: true });
  // Validating the definition takes the main thread a few hundred milliseconds: it runs while
  // DuckDB starts and the SQL translator compiles in background threads.
  const [created, validation] = await Promise.allSettled([LocalAws.create(runDir), nextTurn(() => validate(machine.definition))]);
  if (created.status === 'rejected') throw created.reason;
  const aws = created.value;
  try {
    if (validation.status === 'rejected') {
      throw new UsageError(`The state machine of ${workflow.constructPath} is not valid Amazon States Language: ${(validation.reason as Error).message}`);
    }
    let sourceTables = await loadSourceTables(aws, options.data, workflow.databaseName, workflow.sourceTableNames);
    const target = targetTableOf(machine, workflow.databaseName, workflow.targetTableName);
    // The table bucket's namespace is the user's, made before any execution.
    if (target.database !== workflow.databaseName) aws.catalog.createDatabase(target.database);
    const targetName = target.name;
    const countTarget = async () => (aws.catalog.getTable(target.database, workflow.targetTableName)
      ? Number((await aws.query(`SELECT count(*) AS n FROM ${target.sql}`))[0].n)
      : 0);
    const results: LocalExecution[] = [];
    // Only the executions change the target: the count after one is the count before the next.
    let after = await countTarget();
    for (let i = 0; i < executions; i++) {
      if (i > 0) sourceTables = await loadSourceTables(aws, options.data, workflow.databaseName, workflow.sourceTableNames);
      const before = after;
      const result = await aws.startExecution(machine, { onEvent: options.onEvent, input: inputOf(i) });
      if (result.status === 'SUCCEEDED') after = await countTarget();
      const execution: LocalExecution = {
        status: result.status,
        path: result.statesEntered,
        // The state the construct names its CTAS (src/private/workflow.ts).
        createdTarget: result.status === 'SUCCEEDED' && result.statesEntered.includes('Create Target Table'),
        rowsAdded: after - before,
        bytesRead: queryReads(aws.athena, machine, result).reduce((sum, query) => sum + query.bytesRead, 0),
        durationMillis: result.durationMillis,
        error: result.error,
        cause: result.cause && reasonOf(result.cause),
      };
      results.push(execution);
      await options.onExecution?.(execution, i + 1);
      if (result.status !== 'SUCCEEDED') break;
    }
    const table = aws.catalog.getTable(target.database, workflow.targetTableName);
    return {
      workflow,
      sourceTables,
      executions: results,
      workDirectory: runDir,
      notices: [...aws.iamNotices],
      target: {
        name: targetName,
        directory: table ? aws.s3.pathOf(table.location) : '',
        rows: table ? await aws.query(`SELECT * FROM ${target.sql}`) : [],
      },
    };
  } finally {
    aws.close();
  }
}

/** Runs `work` on the event loop's next turn, once the I/O started before it is under way. */
function nextTurn<T>(work: () => T): Promise<T> {
  return new Promise((resolve, reject) => setImmediate(() => {
    try {
      resolve(work());
    } catch (error) {
      reject(error);
    }
  }));
}

/**
 * Where the workflow's target is: in the workflow's database, or, when **Get Target Table** names
 * the catalog of an S3 table bucket (`CatalogId` `<account>:s3tablescatalog/<bucket>`), in that
 * bucket's namespace.
 */
function targetTableOf(machine: ResolvedStateMachine, databaseName: string, tableName: string): { database: string; name: string; sql: string } {
  const parameters = (machine.definition.States['Get Target Table'] as { Parameters?: Record<string, string> } | undefined)?.Parameters;
  const catalog = /:(s3tablescatalog\/.+)$/.exec(parameters?.CatalogId ?? '')?.[1];
  if (!catalog || !parameters?.DatabaseName) return { database: databaseName, name: `${databaseName}.${tableName}`, sql: `${databaseName}.${tableName}` };
  const name = `"${catalog}"."${parameters.DatabaseName}"."${tableName}"`;
  return { database: localDatabase(catalog, parameters.DatabaseName), name, sql: name };
}

/** A failed `.sync` query's cause is its GetQueryExecution response: its state change reason says why. */
function reasonOf(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { QueryExecution?: { Status?: { StateChangeReason?: string } } };
    return parsed.QueryExecution?.Status?.StateChangeReason ?? cause;
  } catch {
    return cause;
  }
}
