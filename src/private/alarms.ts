import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { grantPutFreshnessMetric } from './freshness';
import { ResolvedProps } from './resolved-props';

/** What an alarm describes and whom it notifies. */
type AlarmProps = Pick<ResolvedProps, 'databaseName' | 'targetTableName' | 'alarmTopic'>;

/**
 * The freshness alarm: it goes off when the lowest value of the freshness metric over
 * `maxStaleness` is above 0, or no execution published one (a stopped schedule stalls the target
 * too). The role may publish the metric.
 */
export function createFreshnessAlarm(scope: Construct, metric: cloudwatch.IMetric, role: iam.IRole, props: AlarmProps & Pick<ResolvedProps, 'maxStaleness'>): cloudwatch.Alarm {
  grantPutFreshnessMetric(role);
  return notifyTopic(new cloudwatch.Alarm(scope, 'FreshnessAlarm', {
    metric,
    alarmDescription: `${props.databaseName}.${props.targetTableName} has lagged behind its source for longer than ${props.maxStaleness.toHumanString()}`,
    threshold: 0,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  }), props.alarmTopic);
}

/** The alarm that goes off when an execution fails. */
export function createFailedExecutionsAlarm(scope: Construct, metric: cloudwatch.IMetric, props: AlarmProps): cloudwatch.Alarm {
  return notifyTopic(new cloudwatch.Alarm(scope, 'FailedExecutionsAlarm', {
    metric,
    alarmDescription: `An execution of the workflow that keeps ${props.databaseName}.${props.targetTableName} up to date failed`,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }), props.alarmTopic);
}

/** Has an alarm notify the user's topic, when there is one. */
function notifyTopic(alarm: cloudwatch.Alarm, topic: sns.ITopic | undefined): cloudwatch.Alarm {
  if (topic) alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  return alarm;
}
