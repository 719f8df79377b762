import * as fs from 'node:fs';
import { insertDestination } from './hive-partitions';
import { publishTo, writeParquet } from './parquet-files';
import { prepareQueryBody } from './query-body';
import { QueryContext, StatementOutcome, existingTable } from './query-context';
import { InsertIntoSelect } from './statement';
import { isIceberg, tableLayout } from './table-layout';
import { duckdbType, glueType, isInsertCoercible } from './types';
import { AthenaQueryError } from '../api/errors';
import { checkOpenPartitions, partitionsIn } from '../api/limits';

/**
 * Athena's `INSERT INTO table SELECT …`: the query's columns, by position, written as new
 * Parquet files under the table's location (of an Iceberg table, its `data/`). Existing files
 * are never rewritten.
 */
export async function insertIntoSelect(context: QueryContext, statement: InsertIntoSelect): Promise<StatementOutcome> {
  const table = existingTable(context, statement.table);
  const layout = tableLayout(table, context.s3);
  const tableColumns = layout.columns;
  const { sql, columns } = await prepareQueryBody(context, statement.query);
  const queryTypes = columns.map((column) => glueType(column.type, context.statement));
  if (columns.length !== tableColumns.length || queryTypes.some((type, i) => !isInsertCoercible(type, tableColumns[i].type))) {
    throw new AthenaQueryError(
      `Insert query has mismatched column types: Table: [${tableColumns.map((column) => column.type).join(', ')}], Query: [${queryTypes.join(', ')}]`,
    );
  }
  const rows = await writeParquet(context.connection, {
    query: sql,
    columns: tableColumns.map((column) => ({ name: column.name, type: duckdbType(column.type) })),
    partitionedBy: layout.partitionColumns.map((key) => key.name),
    compression: table.compression,
    stagingDir: context.stagingDir,
    filePrefix: context.queryExecutionId,
  });
  checkOpenPartitions(partitionsIn(context.stagingDir).length, isIceberg(table));
  if (isIceberg(table)) await context.enforceScanLimit();
  const destination = insertDestination(table, layout, context.s3, context.stagingDir);
  await context.beforePublish(destination.destinationOf, isIceberg(table));
  publishTo(context.stagingDir, destination.destinationOf, rows);
  fs.mkdirSync(layout.dataDirectory, { recursive: true });
  // Only once the query has succeeded are its new partitions registered.
  if (rows > 0 && destination.newPartitions.length > 0) context.catalog.addPartitions(table.databaseName, table.name, destination.newPartitions);
  return { rows };
}
