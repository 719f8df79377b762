/**
 * Loads new days through the construct's watermark: the workflow reads the newest day in the
 * summary from partition metadata, then inserts the newer days one window at a time. Two days
 * arrive before the second execution and one day fits in a window, so that execution runs two
 * windows.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { KeepDataAssertions } from './stacks/keep-data-assertions';
import { FIRST_DAY_ORDERS, KeepDataStack, SECOND_DAY_ORDERS, THIRD_DAY_ORDERS } from './stacks/keep-data-stack';

const app = new App();
const stack = new KeepDataStack(app, 'KeepDataWatermarkInteg', {
  databaseName: 'keep_data_watermark_integ',
  maxDaysPerQuery: 1,
});

const integ = new IntegTest(app, 'KeepDataWatermark', {
  testCases: [stack],
  stackUpdateWorkflow: false,
});

new KeepDataAssertions(integ.assertions, stack)
  .insertOrders(FIRST_DAY_ORDERS)
  .runWorkflow()
  .expectTarget({ days: 1, orders: FIRST_DAY_ORDERS.length })
  .insertOrders(SECOND_DAY_ORDERS)
  .insertOrders(THIRD_DAY_ORDERS)
  .runWorkflow()
  .expectTarget({ days: 3, orders: FIRST_DAY_ORDERS.length + SECOND_DAY_ORDERS.length + THIRD_DAY_ORDERS.length });

app.synth();
