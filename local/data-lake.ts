import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { quoteIdentifier, quoteString } from './athena/identifiers';
import { publish, writeParquet } from './athena/parquet-files';
import { duckdbType, glueType } from './athena/types';
import { checkFixtureTypes } from './fixture-types';
import type { GlueColumn } from './glue-catalog';
import { UNSTATED_SOURCE_BUCKET } from './iam/role-authorizer';
import type { LocalAws } from './local-aws';
import { UsageError } from './usage-error';


/** The file a CSV or JSON lines table describes its columns in. */
export const SCHEMA_FILE = 'schema.json';

/**
 * What `schema.json` holds: the columns (Glue types) and, optionally, the partition keys and the
 * table's S3 location. For Parquet files, it may hold the location alone.
 */
export interface TableSchemaFile {
  readonly columns: GlueColumn[];
  /**
   * Where the table's files are in S3, as its Glue table says (`s3://bucket/prefix/`): the
   * workflow's role must be allowed to read them there.
   * @default - a local location, whose reads are not checked against the role's policies
   */
  readonly location?: string;
  /** Columns whose values come from `key=value/` directories, or from the files. @default - none */
  readonly partitionKeys?: GlueColumn[];
}

/** A source table loaded into the local data lake. */
export interface LoadedTable {
  readonly databaseName: string;
  readonly tableName: string;
  readonly format: 'parquet' | 'csv' | 'json';
  readonly columns: GlueColumn[];
  readonly partitionKeys: GlueColumn[];
  readonly rows: number;
}

/**
 * Registers each source table in the local Glue catalog and puts its data in the local S3, from
 * `<dataDir>/<database>/<table>/`: Parquet files (hive-partitioned by `key=value/` directories
 * or not), whose columns and partitions are read from the files; or CSV (with a header) or JSON
 * lines files, described by a `schema.json` next to them.
 */
export async function loadSourceTables(
  aws: LocalAws, dataDir: string, databaseName: string, tableNames: readonly string[],
): Promise<LoadedTable[]> {
  if (!fs.existsSync(dataDir) || !fs.statSync(dataDir).isDirectory()) throw new UsageError(`The data directory ${dataDir} does not exist.`);
  aws.catalog.createDatabase(databaseName);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const loaded: LoadedTable[] = [];
    for (const tableName of tableNames) loaded.push(await loadTable(aws, connection, dataDir, databaseName, tableName));
    return loaded;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function loadTable(
  aws: LocalAws, connection: DuckDBConnection, dataDir: string, databaseName: string, tableName: string,
): Promise<LoadedTable> {
  const tableDir = path.join(dataDir, databaseName, tableName);
  const files = fs.existsSync(tableDir) ? listFiles(tableDir) : [];
  const parquet = files.filter((file) => file.endsWith('.parquet'));
  const csv = files.filter((file) => file.endsWith('.csv'));
  const json = files.filter((file) => file.endsWith('.jsonl') || file.endsWith('.json') && path.basename(file) !== SCHEMA_FILE);
  if (parquet.length + csv.length + json.length === 0) {
    throw new UsageError(
      `The data directory has no source table ${databaseName}.${tableName}: expected ${tableDir}/ with Parquet files `
      + `(optionally in key=value/ partition directories), or CSV or JSON lines files and a ${SCHEMA_FILE}.`,
    );
  }
  const schemaFile = path.join(tableDir, SCHEMA_FILE);
  const stated = fs.existsSync(schemaFile) ? readSchemaFile(schemaFile) : undefined;
  const location = stated?.location ?? `s3://${UNSTATED_SOURCE_BUCKET}/${databaseName}/${tableName}/`;
  // Read again at each execution: what the data directory holds now replaces what it held.
  if (aws.catalog.getTable(databaseName, tableName)) aws.catalog.deleteTable(databaseName, tableName);
  fs.rmSync(aws.s3.pathOf(location), { recursive: true, force: true });
  const table = parquet.length > 0 && stated?.columns === undefined
    ? await copyParquet(aws, connection, tableDir, parquet, location)
    : await convertText(aws, connection, tableDir, schemaFile, csv.length > 0 ? { format: 'csv', files: csv } : { format: 'json', files: json },
      location, `${databaseName}.${tableName}`);
  aws.catalog.createTable({
    databaseName,
    name: tableName,
    location,
    format: 'parquet',
    columns: table.columns,
    partitionKeys: table.partitionKeys,
    compression: 'snappy',
    createTime: new Date().toISOString(),
  });
  return { databaseName, tableName, ...table };
}

/** Parquet is what the local engine reads: the files are copied as they are, their schema read from their footers. */
async function copyParquet(aws: LocalAws, connection: DuckDBConnection, tableDir: string, files: string[], location: string) {
  const partitionNames = partitionNamesOf(tableDir, files[0]);
  // Partition values stay text, as a Glue table's partition keys usually are.
  const reader = `read_parquet(${quoteString(path.join(tableDir, '**', '*.parquet'))}, hive_partitioning = ${partitionNames.length > 0}, hive_types_autocast = false)`;
  const described = await describe(connection, reader);
  const columns = described
    .filter((column) => !partitionNames.includes(column.name))
    .map((column) => ({ name: column.name, type: glueType(column.type, reader) }));
  const partitionKeys = partitionNames.map((name) => ({ name, type: 'string' }));
  const rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${reader}`)).getRowsJS()[0][0]);
  fs.cpSync(tableDir, aws.s3.pathOf(location), { recursive: true, filter: (source) => fs.statSync(source).isDirectory() || source.endsWith('.parquet') });
  return { format: 'parquet' as const, columns, partitionKeys, rows };
}

/** CSV and JSON lines carry no types: `schema.json` gives them, and the files are written as Parquet. */
async function convertText(
  aws: LocalAws, connection: DuckDBConnection, tableDir: string, schemaFile: string,
  input: { format: 'csv' | 'json'; files: string[] }, location: string, tableName: string,
) {
  if (input.files.length === 0) throw new UsageError(`${schemaFile} describes ${tableName}, but ${tableDir} has no CSV (.csv) or JSON lines (.jsonl) files.`);
  if (!fs.existsSync(schemaFile)) {
    throw new UsageError(`${tableDir} holds ${input.format === 'csv' ? 'CSV' : 'JSON lines'} files but no ${SCHEMA_FILE}: write one with the table's columns, e.g. {"columns": [{"name": "order_id", "type": "string"}], "partitionKeys": [{"name": "dt", "type": "string"}]}.`);
  }
  const schema = readSchema(schemaFile, readSchemaFile(schemaFile));
  const partitionNames = partitionNamesOf(tableDir, input.files[0]);
  // The files by name, so that schema.json is never read as data.
  const glob = `[${input.files.map(quoteString).join(', ')}]`;
  const options = `hive_partitioning = ${partitionNames.length > 0}, hive_types_autocast = false`;
  const untyped = input.format === 'csv'
    ? `read_csv(${glob}, header = true, all_varchar = true, ${options})`
    : `read_json(${glob}, format = 'newline_delimited', ${options})`;
  const found = (await describe(connection, untyped)).map((column) => column.name);
  const expected = [...schema.columns, ...schema.partitionKeys ?? []].map((column) => column.name);
  const missing = expected.filter((name) => !found.includes(name));
  const extra = found.filter((name) => !expected.includes(name) && !name.startsWith('filename'));
  if (missing.length > 0 || extra.length > 0) {
    throw new UsageError(
      `${schemaFile} does not match the files of ${tableName}: `
      + [missing.length > 0 ? `the files have no column ${missing.join(', ')}` : '', extra.length > 0 ? `${SCHEMA_FILE} has no column ${extra.join(', ')}` : '']
        .filter(Boolean).join('; ')
      + ` (the files have ${found.join(', ')}).`,
    );
  }
  const all = [...schema.columns, ...schema.partitionKeys ?? []];
  await checkFixtureTypes(connection, input.files, input.format, all, options, schemaFile, partitionNames);
  const stagingDir = path.join(aws.dataDir, 'staging', `${tableName}-${Date.now()}`);
  let rows: number;
  try {
    rows = await writeParquet(connection, {
      query: `SELECT ${all.map((column) => quoteIdentifier(column.name)).join(', ')} FROM ${untyped}`,
      columns: all.map((column) => ({ name: column.name, type: duckdbType(column.type) })),
      partitionedBy: (schema.partitionKeys ?? []).map((column) => column.name),
      compression: 'snappy',
      stagingDir,
      filePrefix: 'data',
    });
  } catch (error) {
    throw new UsageError(`The files of ${tableName} do not match the types in ${schemaFile}: ${(error as Error).message}`);
  }
  publish(stagingDir, aws.s3.pathOf(location), rows);
  return { format: input.format, columns: schema.columns, partitionKeys: schema.partitionKeys ?? [], rows };
}

/** The schema file as written; its location, when it states one, checked. */
function readSchemaFile(schemaFile: string): Partial<TableSchemaFile> {
  let schema: Partial<TableSchemaFile>;
  try {
    schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Partial<TableSchemaFile>;
  } catch (error) {
    throw new UsageError(`${schemaFile} is not valid JSON: ${(error as Error).message}`);
  }
  if (schema.location !== undefined && (typeof schema.location !== 'string' || !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/(.+\/)?$/.test(schema.location))) {
    throw new UsageError(`${schemaFile}: location must be the table's S3 location, s3://<bucket>/<prefix>/ ending with / (got ${JSON.stringify(schema.location)}).`);
  }
  return schema;
}

function readSchema(schemaFile: string, schema: Partial<TableSchemaFile>): TableSchemaFile {
  const valid = (columns: unknown) => Array.isArray(columns) && columns.every((column) => typeof column?.name === 'string' && typeof column?.type === 'string');
  if (!valid(schema.columns) || (schema.partitionKeys !== undefined && !valid(schema.partitionKeys))) {
    throw new UsageError(`${schemaFile} must hold {"columns": [{"name": …, "type": …}], "partitionKeys": [{"name": …, "type": …}]} with Glue types such as string, bigint, decimal(10,2), date.`);
  }
  for (const column of [...schema.columns!, ...schema.partitionKeys ?? []]) {
    try {
      duckdbType(column.type);
    } catch (error) {
      throw new UsageError(`${schemaFile}: column ${column.name} has type '${column.type}', which the local runner does not read: ${(error as Error).message}`);
    }
  }
  return schema as TableSchemaFile;
}

async function describe(connection: DuckDBConnection, reader: string): Promise<Array<{ name: string; type: string }>> {
  try {
    const result = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`);
    return result.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  } catch (error) {
    throw new UsageError(`Cannot read ${reader}: ${(error as Error).message}`);
  }
}

/** The partition keys of a hive layout: the `key=` parts of a file's directories under the table. */
function partitionNamesOf(tableDir: string, file: string): string[] {
  return path.relative(tableDir, path.dirname(file)).split(path.sep).filter((part) => part.includes('=')).map((part) => part.split('=')[0]);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
