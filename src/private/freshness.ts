import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, IConstruct } from 'constructs';
import { fail } from './errors';
import { quoteIdentifier } from './sql';
import { TargetTableRef, targetValues } from './target-values';

/** Where the workflow reports how far its target lags behind the source. */
export const FRESHNESS_NAMESPACE = 'KeepDataUpToDate';
/** The number of source watermark values newer than the target's newest, after an execution. */
export const FRESHNESS_METRIC_NAME = 'SourceValuesNotLoaded';
export const DEFAULT_MAX_STALENESS = Duration.days(1);

/** What the lag query needs of the watermark (a `ResolvedWatermark` has it). */
export interface LagWatermark {
  readonly column: string;
  readonly sourceTableName: string;
  /** Whether the source's values come from its `$partitions`. */
  readonly partitionColumn: boolean;
  /** Whether the target's newest value comes from its `$partitions` (a Hive target). */
  readonly targetPartitionMetadata: boolean;
  /** Whether the target's newest value comes from the `partition` row of its `$partitions` (an Iceberg target). */
  readonly icebergPartitionMetadata: boolean;
}

/**
 * An extra column for the query that finds the next window: how many source values are newer
 * than the target's newest, read from the target itself (not from the window the execution
 * believes it loaded). An execution that succeeded but loaded nothing, while the source has
 * newer data, so reports more than 0. It is read from the same metadata (or columns) as the
 * watermark, so it scans nothing more.
 */
export function lagColumn(databaseName: string, target: TargetTableRef, watermark: LagWatermark): string {
  const column = quoteIdentifier(watermark.column);
  const table = (name: string, partitionMetadata: boolean) => partitionMetadata
    ? `${quoteIdentifier(databaseName)}.${quoteIdentifier(`${name}$partitions`)}`
    : `${quoteIdentifier(databaseName)}.${quoteIdentifier(name)}`;
  const targetColumn = targetValues(target, watermark);
  const source = table(watermark.sourceTableName, watermark.partitionColumn);
  return `(SELECT count(*) FROM (SELECT ${column} FROM ${source} WHERE ${column} > (SELECT max(${column}) FROM ${targetColumn}) OR NOT EXISTS (SELECT 1 FROM ${targetColumn}) GROUP BY ${column})) AS lag`;
}

/**
 * Publishes the lag that `lagColumn` added to the window query's result (row 1, column 2).
 * PutMetricData names no resource for a metric outside a CloudWatch dataset: `sfn.CustomState`
 * keeps CallAwsService's `*` grant out, and the role is allowed the action only in this namespace
 * (`grantPutFreshnessMetric`).
 */
export function publishLag(scope: Construct, stateMachineName: string, resultPath: string): sfn.CustomState {
  return new sfn.CustomState(scope, 'Publish Lag', {
    stateJson: {
      Type: 'Task',
      Comment: 'Reports how many source values the target lacks, for the freshness alarm',
      Resource: `arn:${Stack.of(scope).partition}:states:::aws-sdk:cloudwatch:putMetricData`,
      Parameters: {
        Namespace: FRESHNESS_NAMESPACE,
        MetricData: [{
          'MetricName': FRESHNESS_METRIC_NAME,
          'Dimensions': [{ Name: 'StateMachineName', Value: stateMachineName }],
          'Value.$': `States.StringToJson(${resultPath}.rows[1].Data[2].VarCharValue)`,
          'Unit': 'Count',
        }],
      },
      ResultPath: null,
    },
  });
}

/** The metric the workflow publishes, as the alarm reads it: the lowest value over `period`. */
export function freshnessMetric(stateMachineName: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: FRESHNESS_NAMESPACE,
    metricName: FRESHNESS_METRIC_NAME,
    dimensionsMap: { StateMachineName: stateMachineName },
    statistic: cloudwatch.Stats.MINIMUM,
    period,
  });
}

/**
 * Allows the role to publish the freshness metric. PutMetricData's only resource type is an
 * optional CloudWatch dataset (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html),
 * and the freshness metric belongs to none, so the statement names `*` and is narrowed to the
 * namespace by the `cloudwatch:namespace` condition key
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html).
 */
export function grantPutFreshnessMetric(role: iam.IRole): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'PublishFreshnessMetric',
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringEquals: { 'cloudwatch:namespace': FRESHNESS_NAMESPACE } },
  }));
}

/**
 * `maxStaleness` becomes the alarm's period: a whole number of minutes, at most seven days
 * (PutMetricAlarm: "Valid values are 10, 20, 30, and any multiple of 60", and Period ×
 * EvaluationPeriods "can't be more than 604,800 seconds").
 */
export function validateMaxStaleness(scope: IConstruct, maxStaleness: Duration): void {
  const seconds = maxStaleness.toSeconds();
  if (Token.isUnresolved(seconds)) return;
  if (seconds < 60 || seconds % 60 !== 0 || seconds > 604800) {
    fail(scope, 'InvalidDuration', `maxStaleness must be a whole number of minutes from 1 minute to 7 days, as a CloudWatch alarm period (got ${maxStaleness.toHumanString()})`);
  }
}
