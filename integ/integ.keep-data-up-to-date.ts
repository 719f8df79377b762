/**
 * Keeps a daily summary up to date from a partitioned table of orders, with the workgroup the
 * construct creates.
 *
 * The first execution finds no target table, creates it from the first day of orders and adds
 * nothing more; the second, after a second day arrives, adds only that day.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { KeepDataAssertions } from './stacks/keep-data-assertions';
import { FIRST_DAY_ORDERS, KeepDataStack, SECOND_DAY_ORDERS } from './stacks/keep-data-stack';

const app = new App();
const stack = new KeepDataStack(app, 'KeepDataUpToDateInteg', {
  databaseName: 'keep_data_up_to_date_integ',
});

const integ = new IntegTest(app, 'KeepDataUpToDate', {
  testCases: [stack],
  // The tables outlive a deployment's assertions: deploying the previous snapshot first would
  // leave a target table behind for this run to find.
  stackUpdateWorkflow: false,
});

new KeepDataAssertions(integ.assertions, stack)
  .insertOrders(FIRST_DAY_ORDERS)
  .runWorkflow()
  .expectTarget({ days: 1, orders: FIRST_DAY_ORDERS.length })
  .insertOrders(SECOND_DAY_ORDERS)
  .runWorkflow()
  .expectTarget({ days: 2, orders: FIRST_DAY_ORDERS.length + SECOND_DAY_ORDERS.length });

app.synth();
