import * as fs from 'node:fs';
import * as path from 'node:path';
import { localDatabase } from './athena/catalog-views';
import { chooseWorkflow, findWorkflows, WorkflowInAssembly } from './cloud-assembly';
import { loadSourceTables, LoadedTable } from './data-lake';
import type { ResolvedStateMachine } from './definition';
import { validate } from './executor';
import { LocalAws } from './local-aws';
import { queryReads } from './query-reads';
import type { EventLog } from './step-functions';
import { UsageError } from './usage-error';

/** The directory, inside the data directory, that holds the local S3, catalog and engine of a run. */
export const RUN_DIR = '.cdk-keep-data-up-to-date';

export interface RunLocallyOptions {
  /** The cloud assembly directory `cdk synth` writes (usually `cdk.out`). */
  readonly assembly: string;
  /** The construct path of the `KeepDataUpToDate` to run. @default - the only one in the assembly */
  readonly construct?: string;
  /** The directory of source tables, `<database>/<table>/`. Each run starts afresh in `<data>/.cdk-keep-data-up-to-date/`. */
  readonly data: string;
  /** How many executions to run, one after the other. @default 2 (the first creates the target, the second updates it) */
  readonly executions?: number;
  /** Called with each execution event as it happens. @default - none */
  readonly onEvent?: (event: EventLog) => void;
  /** Called as each execution ends, with what it did and its number (from 1). @default - none */
  readonly onExecution?: (execution: LocalExecution, number: number) => void;
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
  readonly sourceTables: LoadedTable[];
  readonly executions: LocalExecution[];
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
  const executions = options.executions ?? 2;
  if (!Number.isInteger(executions) || executions < 1) throw new UsageError(`executions must be a whole number of at least 1 (got ${options.executions})`);
  const { machine, ...workflow } = chooseWorkflow(findWorkflows(options.assembly), options.assembly, options.construct);
  const runDir = path.join(options.data, RUN_DIR);
  fs.rmSync(runDir, { recursive: true, force: true });
  // Validating the definition takes the main thread a few hundred milliseconds: it runs while
  // DuckDB starts and the SQL translator compiles in background threads.
  const [created, validation] = await Promise.allSettled([LocalAws.create(runDir), nextTurn(() => validate(machine.definition))]);
  if (created.status === 'rejected') throw created.reason;
  const aws = created.value;
  try {
    if (validation.status === 'rejected') {
      throw new UsageError(`The state machine of ${workflow.constructPath} is not valid Amazon States Language: ${(validation.reason as Error).message}`);
    }
    const sourceTables = await loadSourceTables(aws, options.data, workflow.databaseName, workflow.sourceTableNames);
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
      const before = after;
      const result = await aws.startExecution(machine, { onEvent: options.onEvent });
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
      options.onExecution?.(execution, i + 1);
      if (result.status !== 'SUCCEEDED') break;
    }
    const table = aws.catalog.getTable(target.database, workflow.targetTableName);
    return {
      workflow,
      sourceTables,
      executions: results,
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
