import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { workGroupArn } from './athena-arns';
import { AthenaQueryTask } from './athena-query-task';
import { glueTableArns } from './glue-arns';
import { partitionRewrite } from './partition-rewrite';
import { lookbackValueQuery, newestValueQuery, quoteIdentifier, quoteLiteral } from './sql';

/** The transient Athena errors that a retry with backoff gets past. */
export const ATHENA_TRANSIENT_ERRORS = ['Athena.TooManyRequestsException', 'Athena.InternalServerException'];
/** The transient Glue errors that a retry with backoff gets past. */
export const GLUE_TRANSIENT_ERRORS = ['Glue.ThrottlingException', 'Glue.InternalServiceException', 'Glue.OperationTimeoutException'];

/** A watermark with every default applied. */
export interface ResolvedWatermark {
  readonly column: string;
  readonly partitionColumn: boolean;
  readonly sourceTableName: string;
  readonly initialValue: string;
  readonly maxPartitionsPerQuery: number;
  readonly lookbackPartitions: number;
  /** Whether the target's newest value can be read from Athena's `$partitions` metadata. */
  readonly targetPartitionMetadata: boolean;
}

export interface WorkflowProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  readonly workGroupName: string;
  /** Where query results go when the workgroup does not enforce its own location. */
  readonly outputLocation?: string;
  readonly createTargetQuery: string;
  /** The update statement; with a watermark, its bounds are `?` parameters. */
  readonly updateTargetQuery: string;
  /** With a watermark: which bound each `?` of the update statement takes, in order. */
  readonly updateParameters: Array<'watermark' | 'windowEnd'>;
  readonly watermark?: ResolvedWatermark;
  /**
   * The target's location, when the partitions a lookback loads again are emptied first
   * (a Hive target partitioned by the watermark column).
   */
  readonly rewriteLocation?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /** The state machine's own ARN, when executions that find another one running end at once. */
  readonly stateMachineArnForGuard?: string;
}

/**
 * The workflow's states, top to bottom as in the diagram:
 * [guard] → Get Target Table →(not found) Create Target Table → [watermark loop →] Update Target Table.
 */
export function buildWorkflow(scope: Construct, props: WorkflowProps): sfn.IChainable {
  const query = (id: string, queryString: string, comment: string, resultPath: string, executionParameters?: string) =>
    new AthenaQueryTask(scope, id, {
      comment,
      queryString,
      resultPath,
      workGroupName: props.workGroupName,
      databaseName: props.databaseName,
      outputLocation: props.outputLocation,
      executionParameters,
      resultSelector: {
        QueryExecutionId: sfn.JsonPath.stringAt('$.QueryExecution.QueryExecutionId'),
        DataScannedInBytes: sfn.JsonPath.numberAt('$.QueryExecution.Statistics.DataScannedInBytes'),
      },
    }).addRetry({
      errors: ATHENA_TRANSIENT_ERRORS,
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 6,
      jitterStrategy: sfn.JitterType.FULL,
    });

  const getTarget = new tasks.CallAwsService(scope, 'Get Target Table', {
    comment: 'Does the target table exist?',
    service: 'glue',
    action: 'getTable',
    parameters: { DatabaseName: props.databaseName, Name: props.targetTableName },
    iamResources: glueTableArns(scope, props.databaseName, props.targetTableName),
    resultPath: sfn.JsonPath.DISCARD,
  }).addRetry({
    errors: GLUE_TRANSIENT_ERRORS,
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 5,
    jitterStrategy: sfn.JitterType.FULL,
  });
  const createTarget = query('Create Target Table', props.createTargetQuery, 'Creates the target table', '$.createTarget');
  getTarget.addCatch(createTarget, { errors: ['Glue.EntityNotFoundException'], resultPath: '$.targetTableNotFound' });

  let load: sfn.IChainable;
  const watermark = props.watermark;
  if (!watermark) {
    load = query('Update Target Table', props.updateTargetQuery, 'Adds the source rows newer than the newest row in the target', '$.updateTarget');
  } else {
    load = watermarkLoop(scope, props, watermark, query);
  }
  getTarget.next(load);
  createTarget.next(load);

  if (!props.stateMachineArnForGuard) return getTarget;

  const listRunning = new tasks.CallAwsService(scope, 'List Running Executions', {
    comment: 'Is another execution of this workflow loading the target right now?',
    service: 'sfn',
    action: 'listExecutions',
    iamAction: 'states:ListExecutions',
    iamResources: [props.stateMachineArnForGuard],
    parameters: { StateMachineArn: sfn.JsonPath.stateMachineId, StatusFilter: 'RUNNING', MaxResults: 2 },
    resultSelector: { count: sfn.JsonPath.arrayLength(sfn.JsonPath.listAt('$.Executions')) },
    resultPath: '$.runningExecutions',
  });
  const skip = new sfn.Succeed(scope, 'Skip: Another Execution Is Running', {
    comment: 'Two executions loading at once could insert the same rows twice; the running one loads everything',
  });
  return listRunning.next(new sfn.Choice(scope, 'Another Execution Running?')
    .when(sfn.Condition.numberGreaterThan('$.runningExecutions.count', 1), skip)
    .otherwise(getTarget));
}

/**
 * Reads the target's newest watermark value, then loads the source window by window: each
 * window holds at most `maxPartitionsPerQuery` newer watermark values, so every INSERT stays
 * within Athena's 100-partition limit and reads only the source partitions it loads.
 */
function watermarkLoop(
  scope: Construct,
  props: WorkflowProps,
  watermark: ResolvedWatermark,
  query: (id: string, sql: string, comment: string, resultPath: string, parameters?: string) => sfn.TaskStateBase,
): sfn.IChainable {
  const column = quoteIdentifier(watermark.column);
  const table = (name: string, partitionMetadata: boolean) => partitionMetadata
    ? `${quoteIdentifier(props.databaseName)}.${quoteIdentifier(`${name}$partitions`)}`
    : `${quoteIdentifier(props.databaseName)}.${quoteIdentifier(name)}`;
  const target = table(props.targetTableName, watermark.targetPartitionMetadata);
  const readResult = (id: string, queryPath: string, resultPath: string, maxResults = 2) => new tasks.CallAwsService(scope, id, {
    service: 'athena',
    action: 'getQueryResults',
    iamResources: [workGroupArn(scope, props.workGroupName)],
    parameters: { QueryExecutionId: sfn.JsonPath.stringAt(`${queryPath}.QueryExecutionId`), MaxResults: maxResults },
    resultSelector: { rows: sfn.JsonPath.listAt('$.ResultSet.Rows') },
    resultPath,
  }).addRetry({
    errors: ATHENA_TRANSIENT_ERRORS,
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 5,
    jitterStrategy: sfn.JitterType.FULL,
  });
  // Row 0 of a SELECT's results is the header; row 1 holds the value and its SQL literal, and a
  // NULL (an empty table) has no VarCharValue.
  const value = (resultPath: string) => `${resultPath}.rows[1].Data[0].VarCharValue`;
  const literal = (resultPath: string) => `${resultPath}.rows[1].Data[1].VarCharValue`;

  const getWatermark = watermark.lookbackPartitions > 0
    ? query('Get Watermark', lookbackValueQuery(watermark.column, target, watermark.lookbackPartitions),
      `Reads the target's value before its ${watermark.lookbackPartitions} newest, which are loaded again`, '$.watermarkQuery')
    : query('Get Watermark', newestValueQuery(watermark.column, target), "Reads the target's newest value", '$.watermarkQuery');
  const readWatermark = readResult('Read Watermark', '$.watermarkQuery', '$.watermarkResult');
  const fromTarget = new sfn.Pass(scope, 'Start After Newest Target Value', {
    parameters: {
      value: sfn.JsonPath.stringAt(value('$.watermarkResult')),
      literal: sfn.JsonPath.stringAt(literal('$.watermarkResult')),
      before: sfn.JsonPath.stringAt(value('$.watermarkResult')),
    },
    resultPath: '$.watermark',
  });
  const fromInitial = new sfn.Pass(scope, 'Start From Initial Watermark', {
    parameters: { value: watermark.initialValue, literal: quoteLiteral(watermark.initialValue), before: watermark.initialValue },
    resultPath: '$.watermark',
  });

  const nextWindowSql = newestValueQuery(watermark.column,
    `(SELECT ${column} FROM ${table(watermark.sourceTableName, watermark.partitionColumn)} WHERE CAST(${column} AS varchar) > ? GROUP BY ${column} ORDER BY ${column} LIMIT ${watermark.maxPartitionsPerQuery})`);
  const findWindow = query('Find Next Window', nextWindowSql,
    `Finds the end of the next ${watermark.maxPartitionsPerQuery} source values after the watermark`,
    '$.windowQuery', 'States.Array($.watermark.literal)');
  const readWindow = readResult('Read Next Window', '$.windowQuery', '$.windowResult');
  const bound = { watermark: '$.watermark.literal', windowEnd: literal('$.windowResult') };
  const setWindow = new sfn.Pass(scope, 'Set Window', {
    parameters: {
      end: sfn.JsonPath.stringAt(value('$.windowResult')),
      endLiteral: sfn.JsonPath.stringAt(literal('$.windowResult')),
      parameters: sfn.JsonPath.stringAt(`States.Array(${props.updateParameters.map((name) => bound[name]).join(', ')})`),
    },
    resultPath: '$.window',
  });
  const update = query('Update Target Table', props.updateTargetQuery,
    'Adds the source rows of the window', '$.updateTarget', '$.window.parameters');
  const advance = new sfn.Pass(scope, 'Advance Watermark', {
    parameters: {
      value: sfn.JsonPath.stringAt('$.window.end'),
      literal: sfn.JsonPath.stringAt('$.window.endLiteral'),
      before: sfn.JsonPath.stringAt('$.watermark.before'),
    },
    resultPath: '$.watermark',
  });
  const upToDate = new sfn.Succeed(scope, 'Target Is Up To Date');

  findWindow.next(readWindow).next(new sfn.Choice(scope, 'Newer Source Data?')
    .when(sfn.Condition.isPresent(value('$.windowResult')), setWindow.next(update).next(advance).next(findWindow))
    .otherwise(upToDate));
  const load = props.rewriteLocation
    ? partitionRewrite(scope, {
      databaseName: props.databaseName,
      targetTableName: props.targetTableName,
      column: watermark.column,
      partitions: watermark.lookbackPartitions,
      targetBucket: props.rewriteLocation.bucket,
      targetPrefix: props.rewriteLocation.prefix,
      query,
      readResult,
    }).next(findWindow)
    : findWindow;
  return getWatermark.next(readWatermark).next(new sfn.Choice(scope, 'Target Has Rows?')
    .when(sfn.Condition.isPresent(value('$.watermarkResult')), fromTarget.next(load))
    .otherwise(fromInitial.next(load)));
}
