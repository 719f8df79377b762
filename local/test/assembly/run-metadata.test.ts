import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { KeepDataUpToDate } from '../../../src';
import { QUERIES } from '../../../test/fixtures';

test('each instance marks its state machine with its construct path and tables, for the local runner', () => {
  // GIVEN two instances in one stack
  const stack = new Stack(new App(), 'Analytics');
  for (const [id, target] of [['DailySales', 'daily_sales'], ['Customers', 'customers']]) {
    new KeepDataUpToDate(stack, id, {
      databaseName: 'sales',
      sourceTableNames: ['orders', 'customers_raw'],
      targetTableName: target,
      ...QUERIES,
    });
  }

  // THEN each state machine, and nothing else, carries the metadata
  const marked = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine', {
    Metadata: { 'cdk-keep-data-up-to-date': {} },
  });
  const all = Template.fromStack(stack).toJSON().Resources as Record<string, { Metadata?: Record<string, unknown> }>;
  expect(Object.values(all).filter((resource) => resource.Metadata?.['cdk-keep-data-up-to-date'])).toHaveLength(2);
  expect(Object.values(marked).map((resource) => resource.Metadata['cdk-keep-data-up-to-date'])).toEqual([
    { constructPath: 'Analytics/DailySales', databaseName: 'sales', targetTableName: 'daily_sales', sourceTableNames: ['orders', 'customers_raw'] },
    { constructPath: 'Analytics/Customers', databaseName: 'sales', targetTableName: 'customers', sourceTableNames: ['orders', 'customers_raw'] },
  ]);
});
