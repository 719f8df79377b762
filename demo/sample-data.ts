import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteString } from '../local/athena/statements/identifiers';
import { publish, writeParquet } from '../local/athena/statements/parquet-files';
import type { LocalAws } from '../local/local-aws';

/** The sample source table: orders, one hive partition (`dt=YYYY-MM-DD/`) per day. */
export const SAMPLE_SOURCE = {
  databaseName: 'sales',
  tableName: 'orders',
  bucketName: 'example-data-lake',
  prefix: 'raw/orders/',
} as const;

const COLUMNS = [
  { name: 'order_id', type: 'VARCHAR', glueType: 'string' },
  { name: 'customer', type: 'VARCHAR', glueType: 'string' },
  { name: 'amount', type: 'DECIMAL(10,2)', glueType: 'decimal(10,2)' },
  { name: 'dt', type: 'VARCHAR', glueType: 'string' },
];

/** The days `count` days from `first` (inclusive), as `YYYY-MM-DD`. */
export function days(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_day, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/** Registers the source table in the local Glue catalog and writes its first partitions. */
export async function createSampleSource(aws: LocalAws, partitionDays: string[], ordersPerDay = 5): Promise<void> {
  aws.catalog.createDatabase(SAMPLE_SOURCE.databaseName);
  aws.catalog.createTable({
    databaseName: SAMPLE_SOURCE.databaseName,
    name: SAMPLE_SOURCE.tableName,
    location: sourceLocation(),
    format: 'parquet',
    columns: COLUMNS.slice(0, 3).map((column) => ({ name: column.name, type: column.glueType })),
    partitionKeys: [{ name: 'dt', type: 'string' }],
    compression: 'snappy',
    createTime: new Date().toISOString(),
  });
  await addSourcePartitions(aws, partitionDays, ordersPerDay);
}

/**
 * Writes new daily partitions of deterministic orders, with DuckDB's hive-partitioned COPY.
 * Like a new partition landing in S3, they become visible to queries at once.
 */
export async function addSourcePartitions(aws: LocalAws, partitionDays: string[], ordersPerDay = 5): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const dayList = partitionDays.map(quoteString).join(', ');
    const stagingDir = path.join(aws.dataDir, 'staging', `orders-${partitionDays[0]}-${Date.now()}`);
    const rows = await writeParquet(connection, {
      query: `SELECT 'o-' || d.dt || '-' || lpad(CAST(i AS VARCHAR), 3, '0'), 'customer-' || CAST((i * 7 + length(d.dt)) % 11 AS VARCHAR), CAST(10 + (i * 37 + CAST(right(d.dt, 2) AS INTEGER) * 13) % 900 / 10.0 AS DECIMAL(10,2)), d.dt FROM unnest([${dayList}]) AS d(dt), range(${ordersPerDay}) AS r(i)`,
      columns: COLUMNS,
      partitionedBy: ['dt'],
      compression: 'snappy',
      stagingDir,
      filePrefix: `orders-${Date.now()}`,
    });
    publish(stagingDir, aws.s3.pathOf(sourceLocation()), rows);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** An order of the sample source. */
export interface SampleOrder {
  readonly orderId: string;
  readonly customer: string;
  readonly amount: number;
  readonly dt: string;
}

/**
 * Writes the given orders as one more file in each of their daily partitions, as a late or
 * corrected row lands next to the files already there.
 */
export async function addSourceOrders(aws: LocalAws, orders: SampleOrder[]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const values = orders.map((order) => `(${quoteString(order.orderId)}, ${quoteString(order.customer)}, ${order.amount.toFixed(2)}, ${quoteString(order.dt)})`);
    const stagingDir = path.join(aws.dataDir, 'staging', `orders-late-${Date.now()}`);
    const rows = await writeParquet(connection, {
      query: `SELECT * FROM (VALUES ${values.join(', ')})`,
      columns: COLUMNS,
      partitionedBy: ['dt'],
      compression: 'snappy',
      stagingDir,
      filePrefix: `orders-late-${Date.now()}`,
    });
    publish(stagingDir, aws.s3.pathOf(sourceLocation()), rows);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function sourceLocation(): string {
  return `s3://${SAMPLE_SOURCE.bucketName}/${SAMPLE_SOURCE.prefix}`;
}
