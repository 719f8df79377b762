import { ArnFormat, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The ARNs Glue checks for a table action: the catalog, the database and the table itself.
 * Glue authorizes a table call only when all three are allowed, so listing the catalog and
 * database beside a table grants nothing on the database's other tables.
 */
export function glueTableArns(scope: IConstruct, databaseName: string, tableName: string): string[] {
  const stack = Stack.of(scope);
  return [
    stack.formatArn({ service: 'glue', resource: 'catalog', arnFormat: ArnFormat.NO_RESOURCE_NAME }),
    stack.formatArn({ service: 'glue', resource: 'database', resourceName: databaseName }),
    stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseName}/${tableName}` }),
  ];
}
