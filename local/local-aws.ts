import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { LOCAL_PSEUDO_PARAMETERS } from './assembly/cfn-intrinsics';
import { ResolvedStateMachine } from './assembly/definition';
import { LocalAthena } from './athena/api/local-athena';
import { LocalCloudWatch } from './cloudwatch/local-cloudwatch';
import { LocalDynamoDb } from './dynamodb/local-dynamodb';
import { ExecutionResult } from './execution/executor';
import { LocalExecutions, StartExecutionOptions } from './execution/local-executions';
import { localTaskHandlers, TaskHandlers, TaskState } from './execution/task-handlers';
import { GlueCatalog } from './glue/glue-catalog';
import { LocalTableOptimizers } from './glue/glue-table-optimizers';
import { executionRole, RoleAuthorizer } from './iam/role-authorizer';
import { taskCall } from './iam/task-calls';
import { LocalS3 } from './s3/local-s3';

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
  /** What the executions' IAM checks could not cover, each said once (see docs/athena-rules.md rule 20). */
  public readonly iamNotices = new Set<string>();

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
    if (options.stopDuring === undefined) return this.run(machine, options, this.handlers);
    return this.startAndStopDuring(machine, options, options.stopDuring);
  }

  /**
   * Runs an execution as its role: each Task's call, and each S3 object Athena reads or writes for
   * it, is checked against the role's identity policies (docs/athena-rules.md rule 20).
   */
  private async run(machine: ResolvedStateMachine, options: LocalStartOptions, handlers: TaskHandlers): Promise<ExecutionResult> {
    const role = machine.role;
    if (!role || role.unreadable) {
      this.iamNotices.add(`IAM was not checked for ${machine.name}: ${role ? role.unreadable : 'its template does not create the role it runs as'}.`);
      return this.executions.start(machine, { ...options, handlers });
    }
    const environment = machine.environment ?? LOCAL_PSEUDO_PARAMETERS;
    const authorizer = new RoleAuthorizer(role, environment);
    const authorized = Object.fromEntries(Object.entries(handlers).map(([integration, handler]) => [integration, (input: any, state: TaskState) => {
      const call = taskCall(environment, integration, input, (id) => this.athena.workGroupOf(id));
      if (call) authorizer.authorizeTask(call.service, call.requests);
      return handler(input, state);
    }]));
    try {
      return await executionRole.run(authorizer, () => this.executions.start(machine, { ...options, handlers: authorized }));
    } finally {
      if (authorizer.s3TablesData) this.iamNotices.add('Reads and writes of S3 tables\' data (s3tables:GetTableData, s3tables:PutTableData) were not checked against the role\'s policies.');
      for (const table of authorizer.uncheckedTables) {
        this.iamNotices.add(`Reads of ${table} were not checked against the role's policies: its fixture does not state its S3 location (add "location": "s3://…/" to its schema.json).`);
      }
    }
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
    return this.run(machine, { ...options, name }, handlers);
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
