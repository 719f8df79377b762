/**
 * Keeps an Iceberg table in an Amazon S3 table bucket up to date: the stack creates the table
 * bucket and a namespace, the workflow creates the target there with `CREATE TABLE` (the
 * columns' types given, no location), then merges the newer source days into it one window at
 * a time, by its catalog-qualified name. S3 maintains the table; no Glue optimizer is turned on.
 *
 * The account must have integrated its table buckets with the AWS Glue Data Catalog (the
 * `s3tablescatalog` catalog) before this case is deployed.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { KeepDataAssertions } from './stacks/keep-data-assertions';
import { FIRST_DAY_ORDERS, KeepDataStack, SECOND_DAY_ORDERS, THIRD_DAY_ORDERS } from './stacks/keep-data-stack';

const app = new App();
const stack = new KeepDataStack(app, 'KeepDataS3TablesTargetInteg', {
  databaseName: 'keep_data_s3_tables_integ',
  maxDaysPerQuery: 1,
  s3TablesTarget: true,
});

const integ = new IntegTest(app, 'KeepDataS3TablesTarget', {
  testCases: [stack],
  stackUpdateWorkflow: false,
});

new KeepDataAssertions(integ.assertions, stack)
  .insertOrders(FIRST_DAY_ORDERS)
  .runWorkflow()
  .expectS3TableOrders(FIRST_DAY_ORDERS.length)
  .insertOrders(SECOND_DAY_ORDERS)
  .insertOrders(THIRD_DAY_ORDERS)
  .runWorkflow()
  .expectS3TableOrders(FIRST_DAY_ORDERS.length + SECOND_DAY_ORDERS.length + THIRD_DAY_ORDERS.length)
  .deleteS3Table();

app.synth();
