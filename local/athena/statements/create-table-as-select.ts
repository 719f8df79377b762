import * as fs from 'node:fs';
import * as path from 'node:path';
import { ctasPartitions } from './hive-partitions';
import { publish, writeParquet } from './parquet-files';
import { prepareQueryBody } from './query-body';
import { QueryContext, StatementOutcome, qualified } from './query-context';
import { CreateTableAsSelect } from './statement';
import { duckdbType, glueType } from './types';
import { AthenaQueryError, UnsupportedStatementError } from '../api/errors';
import { checkOpenPartitions, partitionsIn } from '../api/limits';

/**
 * Athena's CTAS, as `COPY (query) TO … (FORMAT PARQUET, PARTITION_BY (…))` into a staging
 * directory, published to `external_location` (of an Iceberg table: `data/` under its
 * `location`) and registered in the catalog only on success.
 */
export async function createTableAsSelect(context: QueryContext, statement: CreateTableAsSelect): Promise<StatementOutcome> {
  const { database, table } = qualified(context, statement.table);
  if (!context.catalog.databaseNames().includes(database)) {
    throw new AthenaQueryError(`SCHEMA_NOT_FOUND: Schema ${database} does not exist`);
  }
  if (context.catalog.getTable(database, table)) {
    if (statement.ifNotExists) return { rows: 0 };
    throw new AthenaQueryError(`Table 'awsdatacatalog.${database}.${table}' already exists`);
  }
  const iceberg = statement.properties.tableType === 'ICEBERG';
  const location = (iceberg ? statement.properties.location : statement.properties.externalLocation) ?? context.defaultTableLocation;
  if (!location) {
    throw new UnsupportedStatementError(
      `CREATE TABLE AS SELECT without ${iceberg ? 'location' : 'external_location'} (Athena would pick a location under the query results)`,
      context.statement,
    );
  }
  const directory = context.s3.pathOf(location);
  if (fs.existsSync(directory) && fs.readdirSync(directory).length > 0) {
    throw new AthenaQueryError(iceberg
      // Trino's Iceberg connector's wording.
      ? `Cannot create a table on a non-empty location: ${location}`
      : `HIVE_PATH_ALREADY_EXISTS: Target directory for table '${database}.${table}' already exists: ${location}. You may need to manually clean the data at location '${location}' before CREATE TABLE AS SELECT operation.`,
    );
  }

  const { sql, columns } = await prepareQueryBody(context, statement.query);
  const duplicate = columns.find((column, i) => columns.findIndex((other) => other.name === column.name) !== i);
  if (duplicate) throw new AthenaQueryError(`Column name '${duplicate.name}' specified more than once`);
  const partitionedBy = statement.properties.partitionedBy;
  const glueColumns = columns.map((column) => ({ name: column.name, type: glueType(column.type, context.statement) }));
  if (iceberg) {
    checkIcebergColumns(glueColumns, partitionedBy);
  } else {
    const lastColumns = columns.slice(columns.length - partitionedBy.length).map((column) => column.name);
    if (partitionedBy.length > 0 && lastColumns.join() !== partitionedBy.join()) {
      throw new AthenaQueryError(
        `HIVE_COLUMN_ORDER_MISMATCH: Partition keys must be the last columns in the table and in the same order as the table properties: [${partitionedBy.join(', ')}]`,
      );
    }
  }

  const rows = statement.withData
    ? await writeParquet(context.connection, {
      query: sql,
      // Written as the types registered, e.g. DuckDB's HUGEINT sums as bigint.
      columns: glueColumns.map((column) => ({ name: column.name, type: duckdbType(column.type) })),
      partitionedBy,
      compression: statement.properties.compression,
      stagingDir: context.stagingDir,
      filePrefix: context.queryExecutionId,
    })
    : 0;
  checkOpenPartitions(partitionsIn(context.stagingDir).length, iceberg);
  // An Iceberg table exists only once its commit succeeds; a Hive CTAS writes in place.
  if (iceberg) await context.enforceScanLimit();
  const dataDirectory = iceberg ? path.join(directory, 'data') : directory;
  await context.beforePublish((file) => path.join(dataDirectory, file), iceberg);
  const partitions = !iceberg && partitionedBy.length > 0 && rows > 0 ? ctasPartitions(location.endsWith('/') ? location : `${location}/`, context.stagingDir) : [];
  publish(context.stagingDir, dataDirectory, rows);

  const dataColumns = columns.length - partitionedBy.length;
  context.catalog.createTable({
    databaseName: database,
    name: table,
    location,
    format: 'parquet',
    ...(iceberg
      ? { tableType: 'ICEBERG', columns: glueColumns, partitionKeys: [], partitioning: partitionedBy }
      : {
        columns: glueColumns.slice(0, dataColumns),
        partitionKeys: glueColumns.slice(dataColumns),
        // A partitioned Hive table reads the partitions registered in the catalog: those the CTAS wrote.
        ...(partitionedBy.length > 0 ? { partitions } : {}),
      }),
    compression: statement.properties.compression,
    createTime: new Date().toISOString(),
  });
  return { rows };
}

/** Athena's Iceberg tables have no tinyint or smallint, and partition by columns they have. */
function checkIcebergColumns(columns: Array<{ name: string; type: string }>, partitioning: string[]): void {
  const unsupported = columns.find((column) => ['tinyint', 'smallint'].includes(column.type));
  // Trino's Iceberg connector's wording.
  if (unsupported) throw new AthenaQueryError(`NOT_SUPPORTED: Type not supported for Iceberg: ${unsupported.type}`);
  const missing = partitioning.find((name) => !columns.some((column) => column.name === name));
  if (missing) throw new AthenaQueryError(`INVALID_TABLE_PROPERTY: Unable to parse partitioning value: Cannot find source column: ${missing}`);
}
