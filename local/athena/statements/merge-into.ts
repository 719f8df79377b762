import * as path from 'node:path';
import { DuckDBResultReader } from '@duckdb/node-api';
import { schemaName } from './catalog-views';
import { quoteIdentifier } from './identifiers';
import { replaceDirectory, writeParquet } from './parquet-files';
import { prepareQueryBody } from './query-body';
import { QueryContext, StatementOutcome, existingTable, qualified } from './query-context';
import { MergeInto } from './statement';
import { isIceberg, tableLayout } from './table-layout';
import { duckdbType } from './types';
import { AthenaQueryError } from '../api/errors';
import { checkOpenPartitions } from '../api/limits';

const TARGET = 'temp.main.merge_target';
const SOURCE = 'temp.main.merge_source';
const ORIGINAL = 'temp.main.merge_original';

/**
 * Athena's `MERGE INTO` an Iceberg table, with DuckDB's own `MERGE INTO`: the target's rows are
 * loaded into a temporary table and the source's rows into another, the merge runs on them,
 * and the merged table is written to staging, which then replaces the table's data files. A
 * failure at any step leaves the table as it was.
 *
 * Athena fails a MERGE in which one target row matches more than one source row; DuckDB would
 * apply them one after the other, so that is checked first.
 */
export async function mergeInto(context: QueryContext, statement: MergeInto): Promise<StatementOutcome> {
  const table = existingTable(context, statement.table);
  if (!isIceberg(table)) {
    // Athena's (Trino's) answer to a row-level change of a Hive table.
    throw new AthenaQueryError('NOT_SUPPORTED: Modifying Hive table rows is only supported for transactional tables');
  }
  const layout = tableLayout(table, context.s3);
  const { database } = qualified(context, statement.table);
  const target = `${TARGET} AS ${quoteIdentifier(statement.targetAlias)}`;
  const source = `${SOURCE} AS ${quoteIdentifier(statement.sourceAlias ?? 'merge_source')}`;
  const profiles: Array<Record<string, any>> = [];
  const run = async (sql: string): Promise<DuckDBResultReader> => {
    try {
      return await context.connection.runAndReadAll(sql);
    } catch (error) {
      throw new AthenaQueryError((error as Error).message);
    }
  };

  try {
    // The source must be one query (or table), nothing else.
    // The source's query is Trino SQL like any query body: translated, or refused.
    const { sql: sourceQuery } = await prepareQueryBody(context, `SELECT * FROM ${statement.source}`);
    await run(`CREATE OR REPLACE TEMP TABLE merge_target AS SELECT * FROM ${schemaName(database)}.${quoteIdentifier(table.name)}`);
    profiles.push(context.lastProfile());
    await run(`CREATE OR REPLACE TEMP TABLE merge_source AS ${sourceQuery}`);
    profiles.push(context.lastProfile());

    const multipleMatches = await run(
      `SELECT 1 FROM ${target} JOIN ${source} ON ${statement.condition} GROUP BY ${quoteIdentifier(statement.targetAlias)}.rowid HAVING count(*) > 1 LIMIT 1`,
    );
    if (multipleMatches.currentRowCount > 0) {
      throw new AthenaQueryError('MERGE_TARGET_ROW_MULTIPLE_MATCHES: One MERGE target table row matched more than one source row');
    }
    await run(`CREATE OR REPLACE TEMP TABLE merge_original AS SELECT * FROM ${TARGET}`);
    const merged = await run(`MERGE INTO ${target} USING ${source} ON ${statement.condition} ${statement.clauses}`);
    const rows = Number(merged.getRowsJS()[0][0]);
    // The partitions the MERGE writes to: those of the rows it inserted or changed.
    const partitionColumns = layout.partitionColumns.map((column) => quoteIdentifier(column.name));
    if (partitionColumns.length > 0) {
      const written = await run(
        `SELECT count(*) FROM (SELECT DISTINCT ${partitionColumns.join(', ')} FROM (SELECT * FROM ${TARGET} EXCEPT ALL SELECT * FROM ${ORIGINAL}))`,
      );
      checkOpenPartitions(Number(written.getRowsJS()[0][0]), true);
    }
    // The MERGE commits atomically: a cancelled one leaves the table as it was.
    await context.enforceScanLimit();

    const written = await writeParquet(context.connection, {
      query: `SELECT * FROM ${TARGET}`,
      columns: layout.columns.map((column) => ({ name: column.name, type: duckdbType(column.type) })),
      partitionedBy: layout.partitionColumns.map((column) => column.name),
      compression: table.compression,
      stagingDir: context.stagingDir,
      filePrefix: context.queryExecutionId,
    });
    // MERGE is Iceberg only: it commits whole or not at all.
    await context.beforePublish((file) => path.join(layout.dataDirectory, file), true);
    replaceDirectory(context.stagingDir, layout.dataDirectory, written);
    return { rows, profile: combined(context.statement, profiles) };
  } finally {
    await context.connection.run(`DROP TABLE IF EXISTS ${TARGET}`);
    await context.connection.run(`DROP TABLE IF EXISTS ${SOURCE}`);
    await context.connection.run(`DROP TABLE IF EXISTS ${ORIGINAL}`);
  }
}

/** One profile for the queries a statement ran, each one a child. */
function combined(statement: string, profiles: Array<Record<string, any>>): Record<string, any> {
  return { query_name: statement, children: profiles };
}
