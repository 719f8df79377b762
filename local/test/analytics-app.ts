import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CREATE_TARGET_QUERY, UPDATE_TARGET_QUERY } from '../../demo/app';
import { KeepDataUpToDate, TargetStorage } from '../../src';

/** The daily totals the `Analytics/DailySales` workflow derives from `sales.orders`. */
export const DAILY_SALES_CREATE = `CREATE TABLE {{database}}.{{targetTable}}
WITH (format = 'PARQUET', external_location = '{{targetLocation}}', partitioned_by = ARRAY['dt'])
AS SELECT count(*) AS orders, sum(amount) AS total, dt FROM {{database}}.{{sourceTable}} GROUP BY dt`;

export const DAILY_SALES_UPDATE = `INSERT INTO {{database}}.{{targetTable}}
SELECT count(*) AS orders, sum(amount) AS total, dt FROM {{database}}.{{sourceTable}}
WHERE dt > (SELECT max(dt) FROM {{database}}.{{targetTable}}) GROUP BY dt`;

export interface AnalyticsAppOptions {
  /** @default DAILY_SALES_UPDATE */
  readonly dailySalesUpdate?: string;
}

/**
 * Synthesizes an app with two `KeepDataUpToDate` instances in one stack (`Analytics/DailySales`
 * and `Analytics/OrdersCurated`, both from `sales.orders`) to `outdir`, as `cdk synth` does.
 */
export function synthesizeAnalyticsApp(outdir: string, options: AnalyticsAppOptions = {}): void {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Analytics');
  const dataLake = s3.Bucket.fromBucketName(stack, 'DataLake', 'analytics-data-lake');
  new KeepDataUpToDate(stack, 'DailySales', {
    databaseName: 'sales',
    sourceTableNames: ['orders'],
    targetTableName: 'daily_sales',
    createTargetQuery: DAILY_SALES_CREATE,
    updateTargetQuery: options.dailySalesUpdate ?? DAILY_SALES_UPDATE,
    sourceDataLocations: [{ bucket: dataLake, prefix: 'raw/orders/' }],
    target: TargetStorage.s3({ bucket: dataLake, prefix: 'curated/daily_sales/' }),
  });
  new KeepDataUpToDate(stack, 'OrdersCurated', {
    databaseName: 'sales',
    sourceTableNames: ['orders'],
    targetTableName: 'orders_curated',
    createTargetQuery: CREATE_TARGET_QUERY,
    updateTargetQuery: UPDATE_TARGET_QUERY,
    sourceDataLocations: [{ bucket: dataLake, prefix: 'raw/orders/' }],
    target: TargetStorage.s3({ bucket: dataLake, prefix: 'curated/orders/' }),
  });
  app.synth();
}

/** The orders of the fixture: two days, hive-partitioned by `dt`. */
export const FIXTURE_ORDERS = [
  { order_id: 'o-1', customer: 'c-1', amount: '10.50', dt: '2026-01-01' },
  { order_id: 'o-2', customer: 'c-2', amount: '4.50', dt: '2026-01-01' },
  { order_id: 'o-3', customer: 'c-1', amount: '7.25', dt: '2026-01-02' },
];

/** Writes `sales/orders/dt=…/*.parquet` under `dataDir`, as a data lake's files look. */
export async function writeParquetOrders(dataDir: string): Promise<void> {
  const tableDir = path.join(dataDir, 'sales', 'orders');
  fs.mkdirSync(tableDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const values = FIXTURE_ORDERS.map((order) => `('${order.order_id}', '${order.customer}', CAST('${order.amount}' AS DECIMAL(10,2)), '${order.dt}')`).join(', ');
    await connection.run(`COPY (SELECT * FROM (VALUES ${values}) AS t(order_id, customer, amount, dt)) TO '${tableDir}' (FORMAT PARQUET, PARTITION_BY (dt), OVERWRITE_OR_IGNORE)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Writes `sales/orders/orders.csv` and its `schema.json` under `dataDir`. */
export function writeCsvOrders(dataDir: string, schemaColumns = ['order_id', 'customer', 'amount']): void {
  const tableDir = path.join(dataDir, 'sales', 'orders');
  fs.mkdirSync(tableDir, { recursive: true });
  const lines = ['order_id,customer,amount,dt', ...FIXTURE_ORDERS.map((order) => `${order.order_id},${order.customer},${order.amount},${order.dt}`)];
  fs.writeFileSync(path.join(tableDir, 'orders.csv'), `${lines.join('\n')}\n`);
  const types: Record<string, string> = { order_id: 'string', customer: 'string', amount: 'decimal(10,2)' };
  fs.writeFileSync(path.join(tableDir, 'schema.json'), JSON.stringify({
    columns: schemaColumns.map((name) => ({ name, type: types[name] ?? 'string' })),
    partitionKeys: [{ name: 'dt', type: 'string' }],
  }, null, 2));
}
