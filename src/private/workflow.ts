import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, IConstruct } from 'constructs';
import { workGroupArn } from './athena-arns';
import { AthenaQueryTask, QueryResultConfiguration } from './athena-query-task';
import { executionLock } from './execution-lock';
import { lagColumn, publishLag } from './freshness';
import { glueTableArns } from './glue-arns';
import { partitionRewrite } from './partition-rewrite';
import { runtimeQuery } from './query-template';
import { retryTransient } from './retry';
import { ResolvedS3TablesTarget, s3TablesGlueArns } from './s3-tables';
import { lookbackValueQuery, newestValueQuery, quoteIdentifier } from './sql';
import { EnableMaintenanceProps, enableMaintenance } from './table-maintenance';
import { TargetTableRef, targetValues } from './target-values';
import { WatermarkColumnType } from '../watermark';

/** The transient Athena errors that a retry with backoff gets past. */
export const ATHENA_TRANSIENT_ERRORS = ['Athena.TooManyRequestsException', 'Athena.InternalServerException'];
/** The transient Glue errors that a retry with backoff gets past. */
export const GLUE_TRANSIENT_ERRORS = ['Glue.ThrottlingException', 'Glue.InternalServiceException', 'Glue.OperationTimeoutException'];

/** A watermark with every default applied. */
export interface ResolvedWatermark {
  readonly column: string;
  readonly partitionColumn: boolean;
  readonly sourceTableName: string;
  readonly columnType: WatermarkColumnType;
  /** The value to start after when the target is empty. */
  readonly initialValue: string;
  /** `initialValue` as a SQL literal of `columnType`. */
  readonly initialLiteral: string;
  readonly maxPartitionsPerQuery: number;
  readonly lookbackPartitions: number;
  /** Whether the target's newest value can be read from Athena's `$partitions` metadata of a Hive table. */
  readonly targetPartitionMetadata: boolean;
  /** Whether the target's newest value can be read from the `partition` row of an Iceberg table's `$partitions`. */
  readonly icebergPartitionMetadata: boolean;
}

export interface WorkflowProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  readonly workGroupName: string;
  /** Where query results go, sent with every query. */
  readonly resultConfiguration?: QueryResultConfiguration;
  readonly createTargetQuery: string;
  /** The update statement; with a watermark, it says `{{watermark}}` and `{{windowEnd}}` where its bounds go. */
  readonly updateTargetQuery: string;
  readonly watermark?: ResolvedWatermark;
  /**
   * The target's location, when the partitions a lookback loads again are emptied first
   * (a Hive target partitioned by the watermark column).
   */
  readonly rewriteLocation?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /** The state machine's own ARN, when executions that find another one running end at once. */
  readonly stateMachineArnForGuard?: string;
  /** The lock table, when the watermark loop runs in one execution at a time (see `executionLock`). */
  readonly lockTable?: dynamodb.ITable;
  /** The workflow's role, where the lock's grants are acknowledged. */
  readonly role?: IConstruct;
  /** The state machine's name, for the lock and the freshness metric. */
  readonly stateMachineName?: string;
  /** Whether the watermark loop reports how far the target lags (see `lagColumn`). */
  readonly reportFreshness?: boolean;
  /**
   * The target's location (an `s3://` URI ending in `/`), when each execution points the Hive
   * target at a location of its own before its windows (see `useExecutionLocation`).
   */
  readonly executionLocationsUnder?: string;
  /** The target's Glue table optimizers, when the workflow turns them on (see `enableMaintenance`). */
  readonly maintenance?: EnableMaintenanceProps;
  /** The S3 table bucket namespace the target is in, when it is an S3 table. @default - `databaseName` in the account's Glue Data Catalog */
  readonly s3TablesTarget?: ResolvedS3TablesTarget;
}

/**
 * The workflow's states, top to bottom as in the diagram:
 * [guard] → Get Target Table →(not found) Create Target Table → [Get Maintenance →(not found) Enable …] → [watermark loop →] Update Target Table.
 */
export function buildWorkflow(scope: Construct, props: WorkflowProps): sfn.IChainable {
  type QueryContext = { catalogName: string; databaseName: string };
  const query = (id: string, queryString: string, comment: string, resultPath: string, context?: QueryContext) => retryTransient(
    new AthenaQueryTask(scope, id, {
      comment,
      queryString,
      resultPath,
      workGroupName: props.workGroupName,
      databaseName: context?.databaseName ?? props.databaseName,
      catalogName: context?.catalogName,
      resultConfiguration: props.resultConfiguration,
      resultSelector: {
        QueryExecutionId: sfn.JsonPath.stringAt('$.QueryExecution.QueryExecutionId'),
        DataScannedInBytes: sfn.JsonPath.numberAt('$.QueryExecution.Statistics.DataScannedInBytes'),
      },
    }), ATHENA_TRANSIENT_ERRORS, Duration.seconds(5), 6);

  const s3Tables = props.s3TablesTarget;
  const getTarget = s3Tables
    ? getS3Table(scope, s3Tables, props.targetTableName)
    : getTable(scope, 'Get Target Table', props.databaseName, props.targetTableName, {
      comment: 'Does the target table exist?',
      resultPath: sfn.JsonPath.DISCARD,
    });
  // An S3 table is created in its namespace, named alone, as Athena's guide shows
  // (https://docs.aws.amazon.com/athena/latest/ug/gdc-register-s3-table-bucket-cat.html).
  const createTarget = query('Create Target Table', props.createTargetQuery, 'Creates the target table', '$.createTarget',
    s3Tables && { catalogName: s3Tables.catalogName, databaseName: s3Tables.namespace });
  getTarget.addCatch(createTarget, { errors: ['Glue.EntityNotFoundException'], resultPath: '$.targetTableNotFound' });

  let load: sfn.IChainable;
  const watermark = props.watermark;
  if (!watermark) {
    load = query('Update Target Table', props.updateTargetQuery, 'Adds the source rows newer than the newest row in the target', '$.updateTarget');
  } else {
    load = watermarkLoop(scope, props, watermark, query);
  }
  const afterTarget = props.maintenance ? enableMaintenance(scope, props.maintenance, load) : load;
  getTarget.next(afterTarget);
  createTarget.next(afterTarget);

  if (!props.stateMachineArnForGuard) return getTarget;
  const guarded = props.lockTable
    ? executionLock(scope, { table: props.lockTable, stateMachineName: props.stateMachineName!, role: props.role!, load: getTarget })
    : getTarget;

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
    .otherwise(guarded));
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
  query: (id: string, sql: string, comment: string, resultPath: string) => sfn.TaskStateBase,
): sfn.IChainable {
  const column = quoteIdentifier(watermark.column);
  const table = (name: string, partitionMetadata: boolean) => partitionMetadata
    ? `${quoteIdentifier(props.databaseName)}.${quoteIdentifier(`${name}$partitions`)}`
    : `${quoteIdentifier(props.databaseName)}.${quoteIdentifier(name)}`;
  const targetTable: TargetTableRef = props.s3TablesTarget
    ? { catalog: props.s3TablesTarget.catalogName, database: props.s3TablesTarget.namespace, table: props.targetTableName }
    : { database: props.databaseName, table: props.targetTableName };
  const target = targetValues(targetTable, watermark);
  const readResult = (id: string, queryPath: string, resultPath: string, maxResults = 2) => retryTransient(new tasks.CallAwsService(scope, id, {
    service: 'athena',
    action: 'getQueryResults',
    iamResources: [workGroupArn(scope, props.workGroupName)],
    parameters: { QueryExecutionId: sfn.JsonPath.stringAt(`${queryPath}.QueryExecutionId`), MaxResults: maxResults },
    resultSelector: { rows: sfn.JsonPath.listAt('$.ResultSet.Rows') },
    resultPath,
  }), ATHENA_TRANSIENT_ERRORS, Duration.seconds(2), 5);
  // Row 0 of a SELECT's results is the header; row 1 holds the value and its SQL literal, and a
  // NULL (an empty table) has no VarCharValue.
  const value = (resultPath: string) => `${resultPath}.rows[1].Data[0].VarCharValue`;
  const literal = (resultPath: string) => `${resultPath}.rows[1].Data[1].VarCharValue`;

  const getWatermark = watermark.lookbackPartitions > 0
    ? query('Get Watermark', lookbackValueQuery(watermark.column, target, watermark.lookbackPartitions, watermark.columnType),
      `Reads the target's value before its ${watermark.lookbackPartitions} newest, which are loaded again`, '$.watermarkQuery')
    : query('Get Watermark', newestValueQuery(watermark.column, target, watermark.columnType), "Reads the target's newest value", '$.watermarkQuery');
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
    parameters: { value: watermark.initialValue, literal: watermark.initialLiteral, before: watermark.initialValue },
    resultPath: '$.watermark',
  });

  // The bounds are literals of the column's type, written into the statements' text: execution
  // parameters would be typed as Athena parses them, and a MERGE takes none.
  const nextWindowSql = newestValueQuery(watermark.column,
    `(SELECT ${column} FROM ${table(watermark.sourceTableName, watermark.partitionColumn)} WHERE ${column} > {{watermark}} GROUP BY ${column} ORDER BY ${column} LIMIT ${watermark.maxPartitionsPerQuery})`,
    watermark.columnType,
    props.reportFreshness ? lagColumn(props.databaseName, targetTable, watermark) : undefined);
  const findWindow = query('Find Next Window', runtimeQuery(nextWindowSql, { watermark: '$.watermark.literal' }),
    `Finds the end of the next ${watermark.maxPartitionsPerQuery} source values after the watermark`, '$.windowQuery');
  const readWindow = readResult('Read Next Window', '$.windowQuery', '$.windowResult');
  const setWindow = new sfn.Pass(scope, 'Set Window', {
    parameters: {
      end: sfn.JsonPath.stringAt(value('$.windowResult')),
      endLiteral: sfn.JsonPath.stringAt(literal('$.windowResult')),
    },
    resultPath: '$.window',
  });
  const update = query('Update Target Table',
    runtimeQuery(props.updateTargetQuery, { watermark: '$.watermark.literal', windowEnd: '$.window.endLiteral' }),
    'Adds the source rows of the window', '$.updateTarget');
  const advance = new sfn.Pass(scope, 'Advance Watermark', {
    parameters: {
      value: sfn.JsonPath.stringAt('$.window.end'),
      literal: sfn.JsonPath.stringAt('$.window.endLiteral'),
      before: sfn.JsonPath.stringAt('$.watermark.before'),
    },
    resultPath: '$.watermark',
  });
  const upToDate = new sfn.Succeed(scope, 'Target Is Up To Date');

  const newer = new sfn.Choice(scope, 'Newer Source Data?')
    .when(sfn.Condition.isPresent(value('$.windowResult')), setWindow.next(update).next(advance).next(findWindow))
    .otherwise(upToDate);
  findWindow.next(readWindow);
  if (props.reportFreshness) {
    // Once no window is left, and before the execution ends, it reports how far the target lags.
    readWindow.next(new sfn.Choice(scope, 'Last Window Loaded?')
      .when(sfn.Condition.isPresent(value('$.windowResult')), newer)
      .otherwise(publishLag(scope, props.stateMachineName!, '$.windowResult').next(newer)));
  } else {
    readWindow.next(newer);
  }
  const windows = props.executionLocationsUnder
    ? useExecutionLocation(props.databaseName, props.targetTableName, props.executionLocationsUnder, query).next(findWindow)
    : findWindow;
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
    : windows;
  const loop = getWatermark.next(readWatermark).next(new sfn.Choice(scope, 'Target Has Rows?')
    .when(sfn.Condition.isPresent(value('$.watermarkResult')), fromTarget.next(load))
    .otherwise(fromInitial.next(load)));
  return watermark.partitionColumn ? refuseProjectedSource(scope, props, watermark, loop) : loop;
}

/**
 * Points the Hive target at a location of this execution's own, `<target>executions/<uuid>/`,
 * before its windows (`ALTER TABLE … SET LOCATION`, a Glue `UpdateTable`): an `INSERT` writes a
 * new partition's files under the table's location, and registers the partition only once it
 * succeeds. A window that failed or was stopped after writing part of its files left them under
 * an earlier execution's location, which no registered partition names, so no query reads them;
 * the next execution writes the window again under its own location, and registers it there.
 * Partitions registered before keep their own locations
 * (https://docs.aws.amazon.com/athena/latest/ug/alter-table-set-location.html), and a
 * partitioned table is read from its partitions' locations only
 * (https://docs.aws.amazon.com/athena/latest/ug/partitions.html). No file is ever deleted.
 */
function useExecutionLocation(
  databaseName: string,
  targetTableName: string,
  targetLocation: string,
  query: (id: string, sql: string, comment: string, resultPath: string) => sfn.TaskStateBase,
): sfn.TaskStateBase {
  // Glue names are lower-case letters, digits and underscores: Hive DDL takes them unquoted.
  return query('Use Execution Location',
    runtimeQuery(`ALTER TABLE ${databaseName}.${targetTableName} SET LOCATION '${targetLocation}executions/{{uuid}}/'`, { uuid: sfn.JsonPath.uuid() }),
    'Makes the windows of this execution write their files under a location of its own, so files a failed window left are never read',
    sfn.JsonPath.DISCARD);
}

/**
 * `$partitions` lists the partitions registered in the Glue catalog, and Athena ignores those
 * of a table that uses partition projection, which usually has none
 * (https://docs.aws.amazon.com/athena/latest/ug/show-partitions.html,
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html). Windows read from it
 * would never find the source's newer data: the execution fails and says why, before any query.
 */
function refuseProjectedSource(scope: Construct, props: WorkflowProps, watermark: ResolvedWatermark, loop: sfn.IChainable): sfn.IChainable {
  const getSource = getTable(scope, 'Get Source Table', props.databaseName, watermark.sourceTableName, {
    comment: 'Does the source table use partition projection?',
    // Parameters is optional in GetTable's response; a Choice tests for it with isPresent.
    resultSelector: { 'Table.$': '$.Table' },
    resultPath: '$.sourceTable',
  });
  // A key with a dot needs bracket notation
  // (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
  const projection = "$.sourceTable.Table.Parameters['projection.enabled']";
  const projected = new sfn.Fail(scope, 'Source Uses Partition Projection', {
    error: 'KeepDataUpToDate.PartitionProjectionSource',
    cause: `The source table ${props.databaseName}.${watermark.sourceTableName} uses partition projection, so "$partitions" lists none of its partitions and no newer data would ever be found. Set watermark.partitionColumn to false: the windows are then found from the values of ${watermark.column}.`,
  });
  const forget = new sfn.Pass(scope, 'Source Partitions Are Registered', {
    comment: 'Drops the table definition from the state',
    result: sfn.Result.fromObject({ projection: false }),
    resultPath: '$.sourceTable',
  });
  forget.next(loop);
  // Rules are tried in order: the value is compared only when it is there.
  return getSource.next(new sfn.Choice(scope, 'Source Uses Partition Projection?')
    .when(sfn.Condition.not(sfn.Condition.isPresent(projection)), forget)
    .when(sfn.Condition.or(...['true', 'TRUE', 'True'].map((enabled) => sfn.Condition.stringEquals(projection, enabled))), projected)
    .otherwise(forget));
}

/**
 * Glue `GetTable` on the target in the table bucket's catalog, `CatalogId`
 * `<account>:s3tablescatalog/<bucket>`, the namespace as its database
 * (https://docs.aws.amazon.com/glue/latest/dg/create-databases-tables-s3-catalog.html). It answers
 * `EntityNotFoundException` for a table that does not exist, as for any catalog.
 */
function getS3Table(scope: Construct, target: ResolvedS3TablesTarget, tableName: string): sfn.TaskStateBase {
  return retryTransient(new tasks.CallAwsService(scope, 'Get Target Table', {
    comment: 'Does the target table exist?',
    service: 'glue',
    action: 'getTable',
    parameters: { CatalogId: target.catalogId, DatabaseName: target.namespace, Name: tableName },
    iamResources: s3TablesGlueArns(scope, target, tableName),
    resultPath: sfn.JsonPath.DISCARD,
  }), GLUE_TRANSIENT_ERRORS, Duration.seconds(2), 5);
}

/** Glue `GetTable` on one table, allowed on exactly that table, with transient errors retried. */
function getTable(
  scope: Construct,
  id: string,
  databaseName: string,
  tableName: string,
  options: Pick<tasks.CallAwsServiceProps, 'comment' | 'resultSelector' | 'resultPath'>,
): sfn.TaskStateBase {
  return retryTransient(new tasks.CallAwsService(scope, id, {
    ...options,
    service: 'glue',
    action: 'getTable',
    parameters: { DatabaseName: databaseName, Name: tableName },
    iamResources: glueTableArns(scope, databaseName, tableName),
  }), GLUE_TRANSIENT_ERRORS, Duration.seconds(2), 5);
}
