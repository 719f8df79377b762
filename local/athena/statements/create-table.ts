import * as fs from 'node:fs';
import { isS3TablesDatabase } from './catalog-views';
import { QueryContext, StatementOutcome, qualified } from './query-context';
import { CreateTable } from './statement';
import { AthenaQueryError, UnsupportedStatementError } from '../api/errors';

/** Athena writes an Iceberg table's Parquet with these codecs, ZSTD by default. */
const ICEBERG_CODECS: Record<string, string> = { GZIP: 'gzip', SNAPPY: 'snappy', ZSTD: 'zstd', NONE: 'uncompressed', UNCOMPRESSED: 'uncompressed' };

/**
 * Athena's `CREATE TABLE` of an empty Iceberg table in a namespace of an S3 table bucket: "the
 * syntax is the same as when you create a regular Iceberg table except you don't specify the
 * `LOCATION`" (https://docs.aws.amazon.com/athena/latest/ug/gdc-register-s3-table-bucket-cat.html).
 * S3 Tables gives the table a warehouse location of its own; the local one is
 * `s3://<bucket>--table-s3/<namespace>/<table>/`. Only S3 Tables' form is modelled: an Iceberg
 * `CREATE TABLE` in the account's catalog needs a `LOCATION`, which the local runner does not take.
 */
export function createTable(context: QueryContext, statement: CreateTable): Promise<StatementOutcome> {
  const { database, table } = qualified(context, statement.table);
  if (!isS3TablesDatabase(database)) {
    throw new UnsupportedStatementError('CREATE TABLE with a column list outside a namespace of an S3 table bucket (s3tablescatalog/<bucket>)', context.statement);
  }
  if (!context.catalog.databaseNames().includes(database)) {
    throw new AthenaQueryError(`SCHEMA_NOT_FOUND: Schema ${database.split('/').pop()} does not exist`);
  }
  if (context.catalog.getTable(database, table)) {
    if (statement.ifNotExists) return Promise.resolve({ rows: 0 });
    throw new AthenaQueryError(`Table '${database.split('/').pop()}.${table}' already exists`);
  }
  if (statement.properties.table_type?.toUpperCase() !== 'ICEBERG') {
    throw new UnsupportedStatementError("CREATE TABLE without TBLPROPERTIES ('table_type' = 'ICEBERG')", context.statement);
  }
  const unsupported = statement.columns.find((column) => ['tinyint', 'smallint'].includes(column.type) || column.type.startsWith('char'));
  // Trino's Iceberg connector's wording.
  if (unsupported) throw new AthenaQueryError(`NOT_SUPPORTED: Type not supported for Iceberg: ${unsupported.type}`);
  const missing = statement.partitionedBy.find((name) => !statement.columns.some((column) => column.name === name));
  if (missing) throw new AthenaQueryError(`INVALID_TABLE_PROPERTY: Unable to parse partitioning value: Cannot find source column: ${missing}`);
  const [, bucket, namespace] = database.split('/');
  const location = `s3://${bucket}--table-s3/${namespace}/${table}/`;
  fs.mkdirSync(context.s3.pathOf(`${location}data/`), { recursive: true });
  context.catalog.createTable({
    databaseName: database,
    name: table,
    location,
    format: 'parquet',
    tableType: 'ICEBERG',
    columns: statement.columns.map((column) => ({ name: column.name, type: column.type })),
    partitionKeys: [],
    partitioning: statement.partitionedBy,
    compression: ICEBERG_CODECS[(statement.properties.write_compression ?? 'ZSTD').toUpperCase()] ?? 'zstd',
    createTime: new Date().toISOString(),
  });
  return Promise.resolve({ rows: 0 });
}
