/**
 * The query failed the way Athena would fail it (a syntax, semantic or engine error); the
 * message is what Athena's `StateChangeReason` would say.
 */
export class AthenaQueryError extends Error {
  constructor(message: string) {
    super(message);
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
      `The KeepDataUpToDate local runner does not support ${reason}. It runs CREATE TABLE … WITH (format = 'PARQUET', external_location = …, partitioned_by = ARRAY[…]) AS SELECT …, CREATE TABLE … WITH (table_type = 'ICEBERG', is_external = false, location = …, partitioning = ARRAY[…]) AS SELECT …, INSERT INTO … SELECT …, MERGE INTO <Iceberg table> … WHEN MATCHED THEN UPDATE SET … WHEN NOT MATCHED THEN INSERT (…) VALUES (…) and SELECT …. Statement: ${statement.trim()}`,
    );
    this.name = 'LocalRunner.UnsupportedStatement';
  }
}
