import { DuckDBConnection } from '@duckdb/node-api';
import { localDatabase } from './catalog-views';
import { QueryColumn } from './query-columns';
import { TableName } from './statement';
import { GlueCatalog, GlueTable } from '../../glue/glue-catalog';
import { LocalS3 } from '../../s3/local-s3';
import { AthenaQueryError } from '../api/errors';

/** What one statement runs with. */
export interface QueryContext {
  readonly connection: DuckDBConnection;
  readonly catalog: GlueCatalog;
  readonly s3: LocalS3;
  /**
   * The database of the query's `QueryExecutionContext`: where unqualified names resolve. In an
   * S3 table bucket's catalog, `s3tablescatalog/<bucket>/<namespace>` (see `localDatabase`).
   */
  readonly database: string;
  readonly queryExecutionId: string;
  /** A directory of this query's own, for files not yet published. */
  readonly stagingDir: string;
  /** The statement as submitted, for error messages. */
  readonly statement: string;
  /** DuckDB's profile of the last query this statement ran (profiling is on while it runs). */
  readonly lastProfile: () => Record<string, any>;
  /** Where a CTAS without a location puts its table, when the workgroup decides. @default - the CTAS must name one */
  readonly defaultTableLocation?: string;
  /**
   * Fails with `ScanLimitExceededError` once the statement has read more than the workgroup's
   * per-query limit. An atomic write (Iceberg) calls it before it commits.
   */
  readonly enforceScanLimit: () => Promise<void>;
  /**
   * Called by a write once its files are staged, before they are published: the role's S3 reads
   * and writes are checked, and a fault the local runner injects fails the query, here (see
   * `LocalAthena.failNextWrite`).
   */
  readonly beforePublish: (destinationOf: (stagedFile: string) => string, atomic: boolean) => Promise<void>;
}

/** What a statement did. */
export interface StatementOutcome {
  /** Rows written (CTAS, INSERT) or returned (SELECT). */
  readonly rows: number;
  /** The result set of a SELECT. */
  readonly resultSet?: ResultSet;
  /**
   * What the statement read, when it ran more than one DuckDB query: one profile whose children
   * are theirs. @default - the profile of its last query
   */
  readonly profile?: Record<string, any>;
}

export interface ResultSet {
  readonly columns: QueryColumn[];
  /** Each value as Athena's GetQueryResults gives it: text, or undefined for NULL. */
  readonly rows: Array<Array<string | undefined>>;
}

export function qualified(context: QueryContext, name: TableName): { database: string; table: string } {
  return { database: name.database !== undefined ? localDatabase(name.catalog, name.database) : context.database, table: name.table };
}

/** The catalog table a statement writes to, failing as Athena does when it does not exist. */
export function existingTable(context: QueryContext, name: TableName): GlueTable {
  const { database, table } = qualified(context, name);
  const found = context.catalog.getTable(database, table);
  if (!found) {
    throw new AthenaQueryError(`TABLE_NOT_FOUND: Table 'awsdatacatalog.${database}.${table}' does not exist`);
  }
  return found;
}
