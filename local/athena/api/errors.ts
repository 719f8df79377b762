/**
 * The query failed the way Athena would fail it (a syntax, semantic or engine error); the
 * message is what Athena's `StateChangeReason` would say.
 */
export class AthenaQueryError extends Error {
  constructor(message: string) {
    // Trino's errors raised by the local runner's macros (trino-functions.ts) reach here through
    // DuckDB's error(), which prefixes them; Athena's message is the error itself.
    super(message.replace(/^Invalid Input Error: (?=[A-Z_]+: |The KeepDataUpToDate )/, ''));
    this.name = 'AthenaQueryError';
  }
}

/**
 * The local runner cannot run this statement faithfully. It refuses rather than run a query
 * that would behave differently from Athena.
 */
export class UnsupportedStatementError extends Error {
  constructor(reason: string, statement: string) {
    super(
      `The KeepDataUpToDate local runner does not support ${reason}. It runs CREATE TABLE … WITH (format = 'PARQUET', external_location = …, partitioned_by = ARRAY[…]) AS SELECT …, CREATE TABLE … WITH (table_type = 'ICEBERG', is_external = false, location = …, partitioning = ARRAY[…]) AS SELECT …, CREATE TABLE <S3 table> (col type, …) PARTITIONED BY (…) TBLPROPERTIES ('table_type' = 'ICEBERG'), INSERT INTO … SELECT …, MERGE INTO <Iceberg table> … WHEN MATCHED THEN UPDATE SET … WHEN NOT MATCHED THEN INSERT (…) VALUES (…) and SELECT …. Statement: ${statement.trim()}`,
    );
    this.name = 'LocalRunner.UnsupportedStatement';
  }
}

/**
 * A query body uses an Athena (Trino) function, operator or cast that the local runner cannot run
 * as Athena does: it refuses, naming it, rather than give a different answer. docs/local-sql.md
 * lists what it runs.
 */
export class UnfaithfulQueryError extends Error {
  constructor(construct: string, why: string, statement: string) {
    super(`The KeepDataUpToDate local runner does not support Athena's ${construct}: ${why}, so it cannot run it faithfully (see docs/local-sql.md). Statement: ${statement.trim()}`);
    this.name = 'LocalRunner.UnsupportedStatement';
  }
}

/**
 * Athena refused the request itself (`StartQueryExecution` answered with an error): no query
 * ran. `name` is the error Step Functions' Retry and Catch match, e.g.
 * `Athena.InvalidRequestException`.
 */
export class AthenaApiError extends Error {
  constructor(errorCode: 'InvalidRequestException', message: string) {
    super(message);
    this.name = `Athena.${errorCode}`;
  }
}

/**
 * The query scanned more than its workgroup's per-query limit, and Athena cancelled it: its
 * state is CANCELLED, and what it had written stays where it was written.
 */
export class ScanLimitExceededError extends Error {
  constructor(public readonly bytesScanned: number, public readonly limit: number) {
    super('Bytes scanned limit was exceeded');
    this.name = 'ScanLimitExceededError';
  }
}
