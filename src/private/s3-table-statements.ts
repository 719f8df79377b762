import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { WatermarkColumnType } from '../watermark';

/**
 * The column types an Athena `CREATE TABLE` takes for an Iceberg table: the Iceberg types Athena
 * supports, without tinyint, smallint and char (not supported), timestamptz (DDL takes only the
 * timestamp without time zone) and the nested types, which this library does not generate
 * (https://docs.aws.amazon.com/athena/latest/ug/querying-iceberg-supported-data-types.html).
 */
const COLUMN_TYPE = /^(boolean|int|bigint|float|double|string|binary|date|timestamp|decimal\((\d{1,2}),\s*(\d{1,2})\))$/;

/**
 * S3 Tables asks for table and column names in lower case only: Lake Formation and the Glue
 * Data Catalog do not support a table whose name or definition has capital letters
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-create.html).
 */
const COLUMN_NAME = /^[a-z_][a-z0-9_]{0,254}$/;

/** The watermark types and the column types each one may bound. */
const WATERMARK_COLUMN_TYPES: Record<WatermarkColumnType, RegExp> = {
  [WatermarkColumnType.STRING]: /^string$/,
  [WatermarkColumnType.DATE]: /^date$/,
  [WatermarkColumnType.TIMESTAMP]: /^timestamp$/,
  [WatermarkColumnType.INTEGER]: /^(int|bigint)$/,
};

/**
 * Checks the columns of an S3 table's `CREATE TABLE`: names S3 Tables takes, and a type of those
 * Athena's Iceberg DDL takes for each (see docs/athena-rules.md rule 18).
 */
export function checkS3TableColumns(
  scope: IConstruct,
  name: (option: string) => string,
  columns: string[],
  columnTypes: { [column: string]: string },
  partitionedBy: string[],
): void {
  for (const column of columns) {
    if (!COLUMN_NAME.test(column)) {
      fail(scope, 'InvalidName', `${name('columns')} must be lower-case letters, digits and underscores, as S3 Tables requires (got '${column}')`);
    }
    const type = columnTypes[column];
    if (type === undefined) {
      fail(scope, 'InvalidColumns', `${name('columnTypes')} must give the type of column '${column}'`);
    }
    if (!Token.isUnresolved(type) && !validColumnType(type)) {
      fail(scope, 'InvalidColumns', `${name('columnTypes')}['${column}'] must be one of boolean, int, bigint, float, double, decimal(P,S), string, binary, date, timestamp (got '${type}')`);
    }
  }
  const extra = Object.keys(columnTypes).find((column) => !columns.includes(column));
  if (extra !== undefined) {
    fail(scope, 'InvalidColumns', `${name('columnTypes')} names '${extra}', which is not in columns`);
  }
  const missing = partitionedBy.find((column) => !columns.includes(column));
  if (missing !== undefined) {
    fail(scope, 'InvalidColumns', `${name('partitionedBy')} names '${missing}', which is not in columns`);
  }
}

/**
 * The `CREATE TABLE` of an Iceberg table in an S3 table bucket, without `LOCATION`, run in the
 * catalog `s3tablescatalog/<bucket>` and the namespace (see docs/athena-rules.md rule 18). DDL
 * takes backquoted column names, so a reserved word such as `date` does not fail.
 */
export function s3TableCreateStatement(
  columns: string[],
  columnTypes: { [column: string]: string },
  partitionedBy: string[],
  compression: string,
): string {
  return [
    'CREATE TABLE {{targetTable}} (',
    columns.map((column) => `  \`${column}\` ${columnTypes[column].replace(/\s+/g, '')}`).join(',\n'),
    ')',
    `PARTITIONED BY (${partitionedBy.map((column) => `\`${column}\``).join(', ')})`,
    `TBLPROPERTIES ('table_type' = 'ICEBERG', 'format' = 'PARQUET', 'write_compression' = '${compression}')`,
  ].join('\n');
}

/** The watermark column's declared type fits `watermarkType`, so that its bounds compare. */
export function checkWatermarkColumnType(scope: IConstruct, name: (option: string) => string, options: {
  readonly watermarkColumn: string;
  readonly watermarkType?: WatermarkColumnType;
  readonly columnTypes: { [column: string]: string };
}): void {
  const watermarkType = options.watermarkType ?? WatermarkColumnType.STRING;
  const type = options.columnTypes[options.watermarkColumn];
  if (type !== undefined && !Token.isUnresolved(type) && !WATERMARK_COLUMN_TYPES[watermarkType].test(type)) {
    fail(scope, 'InvalidWatermarkType', `${name('watermarkType')} ${watermarkType} does not fit ${name('columnTypes')}['${options.watermarkColumn}'] '${type}'`);
  }
}

function validColumnType(type: string): boolean {
  const match = COLUMN_TYPE.exec(type);
  if (!match) return false;
  if (match[2] === undefined) return true;
  const precision = Number(match[2]);
  const scale = Number(match[3]);
  return precision >= 1 && precision <= 38 && scale <= precision;
}
