import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/**
 * Retries a task on the transient errors of the service it calls, with exponential backoff
 * (rate 2) and full jitter, so that throttled executions do not retry in step.
 */
export function retryTransient<T extends sfn.TaskStateBase>(state: T, errors: string[], interval: Duration, maxAttempts: number): T {
  state.addRetry({ errors, interval, backoffRate: 2, maxAttempts, jitterStrategy: sfn.JitterType.FULL });
  return state;
}
