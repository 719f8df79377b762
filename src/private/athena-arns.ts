import { ArnFormat, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The ARN of an Athena workgroup, the resource Athena authorizes query calls against. */
export function workGroupArn(scope: IConstruct, workGroupName: string): string {
  return Stack.of(scope).formatArn({
    service: 'athena',
    resource: 'workgroup',
    resourceName: workGroupName,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
