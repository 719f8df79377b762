/** One value of a metric, as PutMetricData received it. */
export interface Datapoint {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly value: number;
  /** When it was published, in milliseconds since the epoch. */
  readonly timestamp: number;
}

export interface PutMetricDataInput {
  readonly Namespace: string;
  readonly MetricData: ReadonlyArray<{
    readonly MetricName: string;
    readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
    readonly Value: number;
    readonly Unit?: string;
  }>;
}

/** What the local evaluator needs of an `AWS::CloudWatch::Alarm` on one metric with a static threshold. */
export interface LocalAlarm {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
  readonly Statistic: 'Minimum' | 'Maximum' | 'Sum' | 'Average' | 'SampleCount';
  readonly Period: number;
  readonly EvaluationPeriods: number;
  readonly Threshold: number;
  readonly ComparisonOperator: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  readonly TreatMissingData?: 'breaching' | 'notBreaching' | 'ignore' | 'missing';
}

/**
 * A stand-in for CloudWatch's metrics: records what PutMetricData sends
 * (`aws-sdk:cloudwatch:putMetricData`), and evaluates an alarm's rule on it.
 */
export class LocalCloudWatch {
  public readonly datapoints: Datapoint[] = [];

  /** The time datapoints are stamped with; replace it to move the clock. */
  public now: () => number = () => Date.now();

  public putMetricData(input: PutMetricDataInput): Record<string, never> {
    for (const datum of input.MetricData) {
      if (typeof datum.Value !== 'number' || !Number.isFinite(datum.Value)) {
        throw namedError('CloudWatch.InvalidParameterValueException', `The value ${JSON.stringify(datum.Value)} for parameter MetricData.member.1.Value is invalid.`);
      }
      this.datapoints.push({
        namespace: input.Namespace,
        metricName: datum.MetricName,
        dimensions: Object.fromEntries((datum.Dimensions ?? []).map((dimension) => [dimension.Name, dimension.Value])),
        value: datum.Value,
        timestamp: this.now(),
      });
    }
    return {};
  }

  /**
   * The alarm's state at `at`: each of the last `EvaluationPeriods` periods (ending at `at`) is
   * breaching when its statistic compares with the threshold as the operator says; a period
   * without data counts as `TreatMissingData` says (CloudWatch's default, `missing`, keeps the
   * alarm as it is: here INSUFFICIENT_DATA). The alarm is in ALARM when every period breaches
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
   */
  public alarmState(alarm: LocalAlarm, at: number = this.now()): 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' {
    const dimensions = Object.fromEntries((alarm.Dimensions ?? []).map((dimension) => [dimension.Name, dimension.Value]));
    const periods: Array<boolean | undefined> = [];
    for (let i = 0; i < alarm.EvaluationPeriods; i++) {
      const end = at - i * alarm.Period * 1000;
      const values = this.datapoints
        .filter((point) => point.namespace === alarm.Namespace && point.metricName === alarm.MetricName)
        .filter((point) => JSON.stringify(sorted(point.dimensions)) === JSON.stringify(sorted(dimensions)))
        .filter((point) => point.timestamp > end - alarm.Period * 1000 && point.timestamp <= end)
        .map((point) => point.value);
      if (values.length === 0) {
        periods.push(alarm.TreatMissingData === 'breaching' ? true : alarm.TreatMissingData === 'notBreaching' ? false : undefined);
        continue;
      }
      periods.push(compare(statistic(alarm.Statistic, values), alarm.ComparisonOperator, alarm.Threshold));
    }
    if (periods.every((breaching) => breaching === undefined)) return 'INSUFFICIENT_DATA';
    return periods.filter((breaching) => breaching !== undefined).every((breaching) => breaching) ? 'ALARM' : 'OK';
  }
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

function statistic(name: LocalAlarm['Statistic'], values: number[]): number {
  switch (name) {
    case 'Minimum': return Math.min(...values);
    case 'Maximum': return Math.max(...values);
    case 'Sum': return values.reduce((sum, value) => sum + value, 0);
    case 'Average': return values.reduce((sum, value) => sum + value, 0) / values.length;
    case 'SampleCount': return values.length;
  }
}

function compare(value: number, operator: LocalAlarm['ComparisonOperator'], threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanThreshold': return value > threshold;
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
  }
}
