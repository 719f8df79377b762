import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { LocalAthena } from './athena/local-athena';
import { ResolvedStateMachine } from './definition';
import { ExecutionResult } from './executor';
import { GlueCatalog } from './glue-catalog';
import { LocalTableOptimizers } from './glue-table-optimizers';
import { LocalCloudWatch } from './local-cloudwatch';
import { LocalDynamoDb } from './local-dynamodb';
import { LocalExecutions, StartExecutionOptions } from './local-executions';
import { LocalS3 } from './local-s3';
import { localTaskHandlers, TaskHandlers } from './task-handlers';

/** How a local execution starts, and the faults it meets. */
export interface LocalStartOptions extends Omit<StartExecutionOptions, 'handlers'> {
  /**
   * Stops the execution while this state's Athena query runs, after the query has written part
   * of its output (see `LocalAws.startExecution`).
   * @default - the execution is not stopped
   */
  readonly stopDuring?: string;
}

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
  /** The DynamoDB items the workflow's lock writes, kept in the data directory. */
  public readonly dynamodb: LocalDynamoDb;
  /** The metrics the workflow publishes. */
  public readonly cloudwatch = new LocalCloudWatch();
  /** The Glue table optimizers the workflow turns on for an Iceberg target. */
  public readonly tableOptimizers: LocalTableOptimizers;

  private constructor(
    public readonly dataDir: string,
    public readonly s3: LocalS3,
    public readonly catalog: GlueCatalog,
    public readonly athena: LocalAthena,
  ) {
    this.tableOptimizers = new LocalTableOptimizers(path.join(dataDir, 'glue-table-optimizers.json'), catalog);
    this.dynamodb = new LocalDynamoDb(path.join(dataDir, 'dynamodb.json'));
    this.handlers = localTaskHandlers(this);
  }

  /**
   * Starts an execution of a state machine and waits for it to end. The workgroups its template
   * creates apply their configuration to its queries.
   */
  public startExecution(machine: ResolvedStateMachine, options: LocalStartOptions = {}): Promise<ExecutionResult> {
    this.athena.useWorkGroups(machine.workGroups ?? {});
    if (options.stopDuring === undefined) return this.executions.start(machine, { ...options, handlers: this.handlers });
    return this.startAndStopDuring(machine, options, options.stopDuring);
  }

  /**
   * Delivers one scheduled start as EventBridge Scheduler's Step Functions target does, with
   * the input the construct's schedule sends, `deliveries` times at once: Scheduler delivers at
   * least once, so one scheduled time may start more than one execution
   * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html).
   * The target names no execution, so each gets a random name.
   */
  public deliverScheduledStart(machine: ResolvedStateMachine, scheduledTime: string, deliveries = 2): Promise<ExecutionResult[]> {
    return Promise.all(Array.from({ length: deliveries }, () => this.startExecution(machine, { input: { scheduledTime } })));
  }

  /**
   * Stops the execution while the query of state `stateName` runs, after that query has written
   * part of its output: StopExecution stops the running task, and the `.sync` Athena integration
   * stops its query (https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html),
   * which ends CANCELLED with what it wrote to a Hive table left in place.
   */
  private async startAndStopDuring(machine: ResolvedStateMachine, options: LocalStartOptions, stateName: string): Promise<ExecutionResult> {
    const name = options.name ?? randomUUID();
    const executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    let stopped = false;
    const startQuery = this.handlers['athena:startQueryExecution.sync'];
    const handlers: TaskHandlers = {
      ...this.handlers,
      'athena:startQueryExecution.sync': async (input, state) => {
        if (state.stateName !== stateName || stopped) return startQuery(input, state);
        stopped = true;
        // Only this query: a SELECT writes nothing, and is stopped all the same.
        const disarm = this.athena.failNextWrite({ cancel: true, match: (query) => query === input });
        try {
          return await startQuery(input, state);
        } finally {
          disarm();
          this.executions.stop(executionArn);
        }
      },
    };
    return this.executions.start(machine, { ...options, name, handlers });
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
