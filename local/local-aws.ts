import * as path from 'node:path';
import { LocalAthena } from './athena/local-athena';
import { ResolvedStateMachine } from './definition';
import { ExecuteOptions, ExecutionResult } from './executor';
import { GlueCatalog } from './glue-catalog';
import { LocalExecutions } from './local-executions';
import { LocalS3 } from './local-s3';
import { localTaskHandlers, TaskHandlers } from './task-handlers';

/**
 * The AWS services the workflow calls, on local disk under one data directory: "S3" as
 * directories, the Glue catalog as a JSON file, Athena as DuckDB.
 */
export class LocalAws {
  public static async create(dataDir: string): Promise<LocalAws> {
    const s3 = new LocalS3(path.join(dataDir, 's3'));
    const catalog = new GlueCatalog(path.join(dataDir, 'glue-catalog.json'));
    const athena = await LocalAthena.create({ catalog, s3, workDir: path.join(dataDir, 'athena') });
    return new LocalAws(dataDir, s3, catalog, athena);
  }

  /** The handlers for the Task integrations this environment answers; replace or wrap one to change its behaviour. */
  public readonly handlers: TaskHandlers;
  /** The executions started here, which the workflow can list. */
  public readonly executions = new LocalExecutions();

  private constructor(
    public readonly dataDir: string,
    public readonly s3: LocalS3,
    public readonly catalog: GlueCatalog,
    public readonly athena: LocalAthena,
  ) {
    this.handlers = localTaskHandlers(this);
  }

  /**
   * Starts an execution of a state machine and waits for it to end. The workgroups its template
   * creates apply their configuration to its queries.
   */
  public startExecution(machine: ResolvedStateMachine, options: Omit<ExecuteOptions, 'handlers' | 'context'> = {}): Promise<ExecutionResult> {
    this.athena.useWorkGroups(machine.workGroups ?? {});
    return this.executions.start(machine, { ...options, handlers: this.handlers });
  }

  /** Runs a SELECT through the Athena stand-in and returns its rows as objects of text values. */
  public async query(sql: string, database?: string): Promise<Array<Record<string, string | undefined>>> {
    const execution = await this.athena.startQueryExecution({
      QueryString: sql,
      QueryExecutionContext: database ? { Database: database } : undefined,
    });
    const resultSet = this.athena.queryResults(execution.QueryExecutionId)!;
    return resultSet.rows.map((row) => Object.fromEntries(resultSet.columns.map((column, i) => [column.name, row[i]])));
  }

  public close(): void {
    this.athena.close();
  }
}
