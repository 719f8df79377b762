/**
 * Keeps the summary up to date when the data bucket is encrypted with a customer managed key and
 * the construct's workgroup encrypts query results with the same key: the workflow's role must
 * be allowed to use exactly that key to read the orders and write the summary.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { KeepDataAssertions } from './stacks/keep-data-assertions';
import { FIRST_DAY_ORDERS, KeepDataStack, SECOND_DAY_ORDERS } from './stacks/keep-data-stack';

const app = new App();
const stack = new KeepDataStack(app, 'KeepDataKmsInteg', {
  databaseName: 'keep_data_kms_integ',
  customerManagedKey: true,
});

const integ = new IntegTest(app, 'KeepDataKms', {
  testCases: [stack],
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
