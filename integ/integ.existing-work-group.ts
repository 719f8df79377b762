/**
 * Runs the workflow's queries in a workgroup that already exists and enforces its own result
 * location, passed to the construct by name together with that location's bucket. Athena fails
 * a Hive CTAS with `external_location` in such a workgroup, so the summary is an Iceberg table,
 * whose `location` keeps it under its own prefix.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { KeepDataAssertions } from './stacks/keep-data-assertions';
import { FIRST_DAY_ORDERS, KeepDataStack, SECOND_DAY_ORDERS } from './stacks/keep-data-stack';

const app = new App();
const stack = new KeepDataStack(app, 'KeepDataExistingWorkGroupInteg', {
  databaseName: 'keep_data_existing_work_group_integ',
  existingWorkGroup: true,
});

const integ = new IntegTest(app, 'KeepDataExistingWorkGroup', {
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
