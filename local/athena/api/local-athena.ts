import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { athenaErrorOf, isEngineError } from './engine-errors';
import { AthenaQueryError, ScanLimitExceededError, UnsupportedStatementError } from './errors';
import { clearFileReads, FileRead, fileReadsSoFar, recordFileReads, takeFileReads } from './file-reads';
import { checkS3TablesWrite, checkWorkGroupRules, ClientResultConfiguration, effectiveResultConfiguration } from './work-groups';
import type { LocalWorkGroup } from '../../assembly/definition';
import { GlueCatalog } from '../../glue/glue-catalog';
import { executionRole, RoleAuthorizer } from '../../iam/role-authorizer';
import { LocalS3 } from '../../s3/local-s3';
import { ATHENA_CATALOG, exposeCatalog, localDatabase, schemaName } from '../statements/catalog-views';
import { createTable } from '../statements/create-table';
import { createTableAsSelect } from '../statements/create-table-as-select';
import { quoteString } from '../statements/identifiers';
import { insertIntoSelect } from '../statements/insert-into-select';
import { mergeInto } from '../statements/merge-into';
import { bindExecutionParameters } from '../statements/parameters';
import { existingTable, QueryContext, ResultSet, StatementOutcome } from '../statements/query-context';
import { select } from '../statements/select';
import { AthenaStatement, parseStatement } from '../statements/statement';
import { loadParser } from '../trino/polyglot';
import { defineTrinoFunctions } from '../trino/trino-functions';

/** The fields of Athena's StartQueryExecution request that the local engine reads. */
export interface StartQueryExecutionInput {
  readonly QueryString: string;
  readonly WorkGroup?: string;
  readonly QueryExecutionContext?: { readonly Catalog?: string; readonly Database?: string };
  readonly ResultConfiguration?: ClientResultConfiguration;
  readonly ExecutionParameters?: string[];
}

/** Athena's GetQueryExecution `QueryExecution`, as the `.sync` integration returns it. */
export type QueryExecution = Record<string, any> & {
  QueryExecutionId: string;
  Status: { State: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; StateChangeReason?: string };
};

/** A query Athena would have run and failed (or cancelled); `queryExecution` says why, in Athena's words. */
export class QueryFailedError extends Error {
  constructor(public readonly queryExecution: QueryExecution) {
    super(queryExecution.Status.StateChangeReason);
    this.name = 'QueryFailedError';
  }
}

const SUBSTATEMENT: Record<AthenaStatement['kind'], { StatementType: string; SubstatementType: string }> = {
  CREATE_TABLE_AS_SELECT: { StatementType: 'DDL', SubstatementType: 'CREATE_TABLE_AS_SELECT' },
  CREATE_TABLE: { StatementType: 'DDL', SubstatementType: 'CREATE_TABLE' },
  INSERT: { StatementType: 'DML', SubstatementType: 'INSERT' },
  SELECT: { StatementType: 'DML', SubstatementType: 'SELECT' },
  MERGE: { StatementType: 'DML', SubstatementType: 'MERGE' },
  ALTER_TABLE_SET_LOCATION: { StatementType: 'DDL', SubstatementType: 'ALTER_TABLE_SET_LOCATION' },
};

/**
 * A stand-in for Athena: runs Athena statements with DuckDB over the local catalog and "S3".
 * Statements run one at a time, as each one refreshes the views the next one reads.
 */
export class LocalAthena {
  public static async create(props: { catalog: GlueCatalog; s3: LocalS3; workDir: string }): Promise<LocalAthena> {
    // The SQL translator's WebAssembly compiles in V8's background threads while DuckDB starts.
    const [{ instance, connection }] = await Promise.all([openEngine(), loadParser()]);
    return new LocalAthena(instance, connection, props.catalog, props.s3, props.workDir);
  }

  private readonly results = new Map<string, ResultSet>();
  private readonly queryWorkGroups = new Map<string, string>();
  private readonly workGroups = new Map<string, LocalWorkGroup>();
  private readonly profiles = new Map<string, Record<string, any>>();
  private readonly reads = new Map<string, FileRead[]>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly faults: WriteFault[] = [];

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    public readonly catalog: GlueCatalog,
    public readonly s3: LocalS3,
    private readonly workDir: string,
  ) {}

  /**
   * Runs a query to completion, as `athena:startQueryExecution.sync` waits for it, and returns
   * its QueryExecution. A query Athena would fail throws `QueryFailedError`; a statement the
   * local runner cannot translate throws `UnsupportedStatementError`.
   */
  public startQueryExecution(input: StartQueryExecutionInput): Promise<QueryExecution> {
    // Athena reads and writes S3 with the credentials of the caller: an execution's role.
    const role = executionRole.getStore();
    const run = this.queue.then(() => this.run(input, role));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Makes queries in these workgroups (by name, as `StartQueryExecution` names them) run under
   * their configuration: an enforced result location and encryption, and the per-query scan limit.
   * A workgroup not named here behaves like one that enforces nothing and has no limit.
   */
  public useWorkGroups(workGroups: Record<string, LocalWorkGroup>): void {
    for (const [name, workGroup] of Object.entries(workGroups)) this.workGroups.set(name, workGroup);
  }

  /**
   * Makes the next write (CTAS, INSERT, MERGE) that `match` accepts fail after it has written
   * part of its files. Athena documents that "if a CTAS or INSERT INTO statement fails, it is
   * possible that orphaned data are left in the data location", which later queries read
   * (https://docs.aws.amazon.com/athena/latest/ug/ctas-considerations-limitations.html, "Locate
   * orphaned files"): for a Hive table, about half of the staged files (at least one) are left in
   * the table's directories. An Iceberg write commits atomically or not at all ("add and delete
   * Amazon S3 objects in an atomic manner", https://docs.aws.amazon.com/athena/latest/ug/acid-transactions.html):
   * its data files become part of the table only with the commit, so it leaves nothing the table
   * reads. `cancel` ends the query CANCELLED, as a stopped query does, rather than FAILED.
   */
  public failNextWrite(options: { match?: (input: StartQueryExecutionInput) => boolean; cancel?: boolean } = {}): () => void {
    const fault = { match: options.match ?? (() => true), cancel: options.cancel ?? false };
    this.faults.push(fault);
    // Disarms the fault, if no write has met it.
    return () => {
      const index = this.faults.indexOf(fault);
      if (index >= 0) this.faults.splice(index, 1);
    };
  }

  /** The workgroup a query ran in. */
  public workGroupOf(queryExecutionId: string): string | undefined {
    return this.queryWorkGroups.get(queryExecutionId);
  }

  /** The result set of a SELECT this engine ran. */
  public queryResults(queryExecutionId: string): ResultSet | undefined {
    return this.results.get(queryExecutionId);
  }

  /**
   * DuckDB's JSON profile of the statement a query ran (for CTAS and INSERT, the COPY that
   * wrote the files): operators, files scanned, bytes read.
   */
  public queryProfile(queryExecutionId: string): Record<string, any> | undefined {
    return this.profiles.get(queryExecutionId);
  }

  /**
   * The Parquet files a query read and how many bytes, from DuckDB's file-system log: the
   * local counterpart of what Athena scans and bills.
   */
  public fileReads(queryExecutionId: string): FileRead[] | undefined {
    return this.reads.get(queryExecutionId);
  }

  public close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async run(input: StartQueryExecutionInput, role: RoleAuthorizer | undefined): Promise<QueryExecution> {
    const queryExecutionId = randomUUID();
    this.queryWorkGroups.set(queryExecutionId, input.WorkGroup ?? 'primary');
    const submitted = Date.now();
    const database = localDatabase(input.QueryExecutionContext?.Catalog, input.QueryExecutionContext?.Database ?? 'default');
    const stagingDir = path.join(this.workDir, 'staging', queryExecutionId);
    const profile = path.join(this.workDir, 'profiles', `${queryExecutionId}.json`);
    const workGroup = this.workGroups.get(input.WorkGroup ?? 'primary');
    const resultConfiguration = effectiveResultConfiguration(workGroup, input.ResultConfiguration);
    const outputLocation = resultConfiguration.OutputLocation ?? 's3://local-athena-results/';
    const execution = (state: QueryExecution['Status']['State'], kind: AthenaStatement['kind'] | undefined, extra: Record<string, unknown>): QueryExecution => ({
      QueryExecutionId: queryExecutionId,
      Query: input.QueryString,
      ...(kind ? SUBSTATEMENT[kind] : {}),
      WorkGroup: input.WorkGroup ?? 'primary',
      QueryExecutionContext: input.QueryExecutionContext ?? {},
      ResultConfiguration: {
        OutputLocation: `${outputLocation}${queryExecutionId}.csv`,
        ...(resultConfiguration.EncryptionConfiguration ? { EncryptionConfiguration: resultConfiguration.EncryptionConfiguration } : {}),
      },
      EngineVersion: { SelectedEngineVersion: 'Athena engine version 3', EffectiveEngineVersion: 'Athena engine version 3' },
      Status: { State: state, SubmissionDateTime: submitted, CompletionDateTime: Date.now(), ...extra.Status as object },
      Statistics: {
        EngineExecutionTimeInMillis: Date.now() - submitted,
        DataScannedInBytes: 0,
        TotalExecutionTimeInMillis: Date.now() - submitted,
        QueryQueueTimeInMillis: 0,
        ServicePreProcessingTimeInMillis: 0,
        QueryPlanningTimeInMillis: 0,
        ServiceProcessingTimeInMillis: 0,
        ...extra.Statistics as object,
      },
    } as QueryExecution);

    let statement: AthenaStatement | undefined;
    let statementText = input.QueryString;
    try {
      statementText = bindExecutionParameters(input.QueryString, input.ExecutionParameters);
      statement = parseStatement(statementText);
      // Refused by StartQueryExecution itself: an API error, not a failed query.
      checkWorkGroupRules(workGroup, statement);
      await exposeCatalog(this.connection, this.catalog, this.s3);
      // Unqualified names resolve in the context database; with none, they find no table.
      await this.connection.run(`USE ${this.catalog.databaseNames().includes(database) ? schemaName(database) : `${ATHENA_CATALOG}.main`}`);
      const context: QueryContext = {
        connection: this.connection,
        catalog: this.catalog,
        s3: this.s3,
        database,
        queryExecutionId,
        stagingDir,
        statement: statementText,
        lastProfile: () => (fs.existsSync(profile) ? JSON.parse(fs.readFileSync(profile, 'utf8')) : {}),
        // An enforced result location also places a CTAS's table: under it, in tables/<query id>/.
        defaultTableLocation: workGroup?.enforceConfiguration ? `${outputLocation}tables/${queryExecutionId}/` : undefined,
        beforePublish: async (destinationOf, atomic) => {
          // Athena reads before it writes: each object read, then each one written, as the role.
          await this.authorizeReads(role, profile);
          for (const file of stagedFiles(stagingDir)) authorizeS3(role, 's3:PutObject', this.s3.uriOf(destinationOf(file)));
          const fault = this.faults.findIndex((candidate) => candidate.match(input));
          if (fault < 0) return;
          const [{ cancel }] = this.faults.splice(fault, 1);
          if (!atomic) leavePartOfStagedFiles(stagingDir, destinationOf);
          throw new InjectedWriteFault(cancel);
        },
        enforceScanLimit: async () => {
          const cutoff = workGroup?.bytesScannedCutoffPerQuery;
          if (cutoff === undefined) return;
          const scanned = (await fileReadsSoFar(this.connection)).reduce((sum, read) => sum + read.bytes, 0);
          if (scanned > cutoff) throw new ScanLimitExceededError(scanned, cutoff);
        },
      };
      checkS3TablesWrite(resultConfiguration, statement, database);
      // Athena writes the query's results to the result location, as the caller.
      if (resultConfiguration.OutputLocation) authorizeS3(role, 's3:PutObject', `${outputLocation}${queryExecutionId}.csv`);
      // Only the statement's own reads: not those that refreshing the views made.
      await clearFileReads(this.connection);
      const { outcome, profile: statementProfile } = await this.profiled(profile, async () => {
        const ran = await runStatement(context, statement!);
        await this.authorizeReads(role, profile);
        // Athena cancels a query once it has scanned more than the limit; what it wrote stays.
        await context.enforceScanLimit();
        return ran;
      });
      const reads = await takeFileReads(this.connection);
      if (outcome.resultSet) this.results.set(queryExecutionId, outcome.resultSet);
      this.profiles.set(queryExecutionId, statementProfile);
      this.reads.set(queryExecutionId, reads);
      return execution('SUCCEEDED', statement.kind, { Statistics: { DataScannedInBytes: reads.reduce((sum, read) => sum + read.bytes, 0) } });
    } catch (thrown) {
      fs.rmSync(stagingDir, { recursive: true, force: true });
      // No DuckDB message reaches the user: Athena's for the same failure, or the runner's limit.
      const error = isEngineError(thrown) ? athenaErrorOf(thrown as Error, statementText, input.QueryExecutionContext?.Database ?? 'default') : thrown;
      if (error instanceof InjectedWriteFault) {
        throw new QueryFailedError(execution(error.cancel ? 'CANCELLED' : 'FAILED', statement?.kind, {
          Status: {
            StateChangeReason: error.message,
            ...(error.cancel ? {} : { AthenaError: { ErrorCategory: 1, Retryable: false, ErrorMessage: error.message } }),
          },
        }));
      }
      if (error instanceof S3AccessDeniedError) {
        await clearFileReads(this.connection);
        throw new QueryFailedError(execution('FAILED', statement?.kind, {
          Status: { StateChangeReason: error.message, AthenaError: { ErrorCategory: 2, Retryable: false, ErrorMessage: error.message } },
        }));
      }
      if (error instanceof ScanLimitExceededError) {
        await clearFileReads(this.connection);
        // The workgroup troubleshooting guide's wording: "query state CANCELED. Bytes scanned limit was exceeded."
        throw new QueryFailedError(execution('CANCELLED', statement?.kind, {
          Status: { StateChangeReason: error.message },
          Statistics: { DataScannedInBytes: error.bytesScanned },
        }));
      }
      if (!(error instanceof AthenaQueryError)) throw error;
      throw new QueryFailedError(execution('FAILED', statement?.kind, {
        Status: {
          StateChangeReason: error.message,
          // Category 2: a user error, which retrying does not fix.
          AthenaError: { ErrorCategory: 2, Retryable: false, ErrorMessage: error.message },
        },
      }));
    }
  }

  /**
   * Checks each object the statement has read so far, as the role reads it (`s3:GetObject`). The
   * query that lists the reads would replace the statement's profile: it is put back.
   */
  private async authorizeReads(role: RoleAuthorizer | undefined, profile: string): Promise<void> {
    if (!role) return;
    const saved = fs.existsSync(profile) ? fs.readFileSync(profile) : undefined;
    try {
      for (const read of await fileReadsSoFar(this.connection)) authorizeS3(role, 's3:GetObject', this.s3.uriOf(read.path));
    } finally {
      if (saved) fs.writeFileSync(profile, saved);
    }
  }

  /**
   * Runs a statement with DuckDB's profiler on and returns the profile of its last query (or
   * the statement's own, combined one): its operators and the files each scan opened.
   */
  private async profiled(
    file: string,
    action: () => Promise<StatementOutcome>,
  ): Promise<{ outcome: StatementOutcome; profile: Record<string, any> }> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.connection.run("PRAGMA enable_profiling = 'json'");
    await this.connection.run(`SET profiling_output = ${quoteString(file)}`);
    try {
      const outcome = await action();
      return { outcome, profile: outcome.profile ?? (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}) };
    } finally {
      await this.connection.run('PRAGMA disable_profiling');
      fs.rmSync(file, { force: true });
    }
  }
}

/** An in-memory DuckDB set up to behave as Athena's engine where their defaults differ. */
async function openEngine(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // Trino divides integers as integers; DuckDB's default would silently give a fraction.
  await connection.run('SET integer_division = true');
  // "The default null ordering is NULLS LAST, regardless of the ordering direction."
  // (https://trino.io/docs/current/sql/select.html#order-by-clause)
  await connection.run("SET default_null_order = 'nulls_last'");
  // Tables live in a database named like Athena's default catalog, so that
  // "awsdatacatalog"."db"."table" resolves too.
  await connection.run(`ATTACH ':memory:' AS ${ATHENA_CATALOG}`);
  await defineTrinoFunctions(connection);
  await recordFileReads(connection);
  return { instance, connection };
}

interface WriteFault {
  readonly match: (input: StartQueryExecutionInput) => boolean;
  readonly cancel: boolean;
}

/** A failure the local runner was told to inject. */
class InjectedWriteFault extends Error {
  constructor(public readonly cancel: boolean) {
    super(cancel
      ? 'Query was cancelled by user (the local runner stopped it after it wrote part of its output)'
      : 'GENERIC_INTERNAL_ERROR: the query failed after writing part of its output (a fault the local runner injected)');
  }
}

/** An S3 request Athena made for the caller was denied: the query fails with S3's Access Denied. */
class S3AccessDeniedError extends Error {}

function authorizeS3(role: RoleAuthorizer | undefined, action: string, uri: string | undefined): void {
  const denial = uri === undefined ? undefined : role?.s3(action, uri);
  if (denial) throw new S3AccessDeniedError(denial);
}

/** The files a write staged, relative to its staging directory. */
function stagedFiles(stagingDir: string): string[] {
  if (!fs.existsSync(stagingDir)) return [];
  return (fs.readdirSync(stagingDir, { recursive: true }) as string[]).filter((file) => fs.statSync(path.join(stagingDir, file)).isFile());
}

/** Moves the first half (at least one) of a staging directory's files to where the write would have put them. */
function leavePartOfStagedFiles(stagingDir: string, destinationOf: (stagedFile: string) => string): void {
  if (!fs.existsSync(stagingDir)) return;
  const files = (fs.readdirSync(stagingDir, { recursive: true }) as string[])
    .filter((file) => fs.statSync(path.join(stagingDir, file)).isFile())
    .sort();
  for (const file of files.slice(0, Math.max(1, Math.floor(files.length / 2)))) {
    const to = destinationOf(file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(path.join(stagingDir, file), to);
  }
}

function runStatement(context: QueryContext, statement: AthenaStatement): Promise<StatementOutcome> {
  switch (statement.kind) {
    case 'CREATE_TABLE_AS_SELECT': return createTableAsSelect(context, statement);
    case 'CREATE_TABLE': return createTable(context, statement);
    case 'INSERT': return insertIntoSelect(context, statement);
    case 'SELECT': return select(context, statement);
    case 'MERGE': return mergeInto(context, statement);
    case 'ALTER_TABLE_SET_LOCATION': {
      const table = existingTable(context, statement.table);
      if (!statement.location.startsWith('s3://')) {
        throw new UnsupportedStatementError('ALTER TABLE SET LOCATION to a location outside S3', context.statement);
      }
      // A new location for the table; its registered partitions keep theirs.
      context.catalog.setLocation(table.databaseName, table.name, statement.location.endsWith('/') ? statement.location : `${statement.location}/`);
      return Promise.resolve({ rows: 0 });
    }
  }
}
