/**
 * Keeps an Iceberg summary up to date and healthy: the workflow reads the newest day from the
 * summary's `$partitions` metadata, merges the newer days (and the newest one again, the
 * lookback) one window at a time, and, once the summary exists, turns on its Glue table
 * optimizers (compaction, snapshot retention and orphan-file deletion), which run as a
 * maintenance role of their own.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { KeepDataAssertions } from './stacks/keep-data-assertions';
import { FIRST_DAY_ORDERS, KeepDataStack, SECOND_DAY_ORDERS, THIRD_DAY_ORDERS } from './stacks/keep-data-stack';

const app = new App();
const stack = new KeepDataStack(app, 'KeepDataIcebergMaintenanceInteg', {
  databaseName: 'keep_data_iceberg_maintenance_integ',
  maxDaysPerQuery: 1,
  icebergSummary: true,
});

const integ = new IntegTest(app, 'KeepDataIcebergMaintenance', {
  testCases: [stack],
  stackUpdateWorkflow: false,
});

new KeepDataAssertions(integ.assertions, stack)
  .insertOrders(FIRST_DAY_ORDERS)
  .runWorkflow()
  .expectTarget({ days: 1, orders: FIRST_DAY_ORDERS.length })
  .expectMaintenance()
  .insertOrders(SECOND_DAY_ORDERS)
  .insertOrders(THIRD_DAY_ORDERS)
  .runWorkflow()
  .expectTarget({ days: 3, orders: FIRST_DAY_ORDERS.length + SECOND_DAY_ORDERS.length + THIRD_DAY_ORDERS.length });

app.synth();
