import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PartitionRewrite } from './partition-rewrite';
import { QueryStates } from './query-states';
import { getTable } from './target-table';
import { lagColumn, publishLag } from '../freshness';
import { runtimeQuery } from '../query-template';
import { ResolvedS3TablesTarget } from '../s3-tables';
import { lookbackValueQuery, newestValueQuery, quoteIdentifier } from '../sql';
import { TargetTableRef, targetValues } from '../target-values';
import { ResolvedWatermark } from '../watermark-types';

export interface WatermarkLoopProps {
  readonly databaseName: string;
  readonly targetTableName: string;
  /** The update statement; it says `{{watermark}}` and `{{windowEnd}}` where its bounds go. */
  readonly updateTargetQuery: string;
  readonly watermark: ResolvedWatermark;
  readonly queries: QueryStates;
  /** The S3 table bucket namespace the target is in, when it is an S3 table. */
  readonly s3Table?: ResolvedS3TablesTarget;
  /** The state machine's name, when the loop reports how far the target lags (see `lagColumn`). */
  readonly reportFreshnessAs?: string;
  /**
   * The target's location (an `s3://` URI ending in `/`), when each execution points the Hive
   * target at a location of its own before its windows (see `useExecutionLocation`).
   */
  readonly executionLocationsUnder?: string;
  /** The target's location, when the partitions a lookback loads again are emptied first (see `PartitionRewrite`). */
  readonly rewriteLocation?: { readonly bucket: s3.IBucket; readonly prefix: string };
}

/**
 * Reads the target's newest watermark value, then loads the source window by window: each
 * window holds at most `maxPartitionsPerQuery` newer watermark values, so every INSERT stays
 * within Athena's 100-partition limit and reads only the source partitions it loads. It ends in
 * **Target Is Up To Date**.
 */
export class WatermarkLoop extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: WatermarkLoopProps) {
    super(scope, id);
    const { watermark, queries } = props;
    const query = (stateId: string, sql: string, comment: string, resultPath: string) => queries.query(this, stateId, sql, comment, resultPath);
    const readResult = (stateId: string, queryPath: string, resultPath: string) => queries.readResult(this, stateId, queryPath, resultPath);
    const column = quoteIdentifier(watermark.column);
    const table = (name: string, partitionMetadata: boolean) => partitionMetadata
      ? `${quoteIdentifier(props.databaseName)}.${quoteIdentifier(`${name}$partitions`)}`
      : `${quoteIdentifier(props.databaseName)}.${quoteIdentifier(name)}`;
    const targetTable: TargetTableRef = props.s3Table
      ? { catalog: props.s3Table.catalogName, database: props.s3Table.namespace, table: props.targetTableName }
      : { database: props.databaseName, table: props.targetTableName };
    const target = targetValues(targetTable, watermark);
    // Row 0 of a SELECT's results is the header; row 1 holds the value and its SQL literal, and a
    // NULL (an empty table) has no VarCharValue.
    const value = (resultPath: string) => `${resultPath}.rows[1].Data[0].VarCharValue`;
    const literal = (resultPath: string) => `${resultPath}.rows[1].Data[1].VarCharValue`;

    const getWatermark = watermark.lookbackPartitions > 0
      ? query('Get Watermark', lookbackValueQuery(watermark.column, target, watermark.lookbackPartitions, watermark.columnType),
        `Reads the target's value before its ${watermark.lookbackPartitions} newest, which are loaded again`, '$.watermarkQuery')
      : query('Get Watermark', newestValueQuery(watermark.column, target, watermark.columnType), "Reads the target's newest value", '$.watermarkQuery');
    const readWatermark = readResult('Read Watermark', '$.watermarkQuery', '$.watermarkResult');
    const fromTarget = new sfn.Pass(this, 'Start After Newest Target Value', {
      parameters: {
        value: sfn.JsonPath.stringAt(value('$.watermarkResult')),
        literal: sfn.JsonPath.stringAt(literal('$.watermarkResult')),
        before: sfn.JsonPath.stringAt(value('$.watermarkResult')),
      },
      resultPath: '$.watermark',
    });
    const fromInitial = new sfn.Pass(this, 'Start From Initial Watermark', {
      parameters: { value: watermark.initialValue, literal: watermark.initialLiteral, before: watermark.initialValue },
      resultPath: '$.watermark',
    });

    // The bounds are literals of the column's type, written into the statements' text: execution
    // parameters would be typed as Athena parses them, and a MERGE takes none.
    const nextWindowSql = newestValueQuery(watermark.column,
      `(SELECT ${column} FROM ${table(watermark.sourceTableName, watermark.partitionColumn)} WHERE ${column} > {{watermark}} GROUP BY ${column} ORDER BY ${column} LIMIT ${watermark.maxPartitionsPerQuery})`,
      watermark.columnType,
      props.reportFreshnessAs ? lagColumn(props.databaseName, targetTable, watermark) : undefined);
    const findWindow = query('Find Next Window', runtimeQuery(nextWindowSql, { watermark: '$.watermark.literal' }),
      `Finds the end of the next ${watermark.maxPartitionsPerQuery} source values after the watermark`, '$.windowQuery');
    const readWindow = readResult('Read Next Window', '$.windowQuery', '$.windowResult');
    const setWindow = new sfn.Pass(this, 'Set Window', {
      parameters: {
        end: sfn.JsonPath.stringAt(value('$.windowResult')),
        endLiteral: sfn.JsonPath.stringAt(literal('$.windowResult')),
      },
      resultPath: '$.window',
    });
    const update = query('Update Target Table',
      runtimeQuery(props.updateTargetQuery, { watermark: '$.watermark.literal', windowEnd: '$.window.endLiteral' }),
      'Adds the source rows of the window', '$.updateTarget');
    const advance = new sfn.Pass(this, 'Advance Watermark', {
      parameters: {
        value: sfn.JsonPath.stringAt('$.window.end'),
        literal: sfn.JsonPath.stringAt('$.window.endLiteral'),
        before: sfn.JsonPath.stringAt('$.watermark.before'),
      },
      resultPath: '$.watermark',
    });
    const upToDate = new sfn.Succeed(this, 'Target Is Up To Date');

    const newer = new sfn.Choice(this, 'Newer Source Data?')
      .when(sfn.Condition.isPresent(value('$.windowResult')), setWindow.next(update).next(advance).next(findWindow))
      .otherwise(upToDate);
    findWindow.next(readWindow);
    if (props.reportFreshnessAs) {
      // Once no window is left, and before the execution ends, it reports how far the target lags.
      readWindow.next(new sfn.Choice(this, 'Last Window Loaded?')
        .when(sfn.Condition.isPresent(value('$.windowResult')), newer)
        .otherwise(publishLag(this, props.reportFreshnessAs, '$.windowResult').next(newer)));
    } else {
      readWindow.next(newer);
    }
    const windows = props.executionLocationsUnder
      ? useExecutionLocation(props.databaseName, props.targetTableName, props.executionLocationsUnder, query).next(findWindow)
      : findWindow;
    const load = props.rewriteLocation
      ? new PartitionRewrite(this, 'PartitionRewrite', {
        databaseName: props.databaseName,
        targetTableName: props.targetTableName,
        column: watermark.column,
        partitions: watermark.lookbackPartitions,
        targetBucket: props.rewriteLocation.bucket,
        targetPrefix: props.rewriteLocation.prefix,
        queries,
      }).next(findWindow)
      : windows;
    const loop = getWatermark.next(readWatermark).next(new sfn.Choice(this, 'Target Has Rows?')
      .when(sfn.Condition.isPresent(value('$.watermarkResult')), fromTarget.next(load))
      .otherwise(fromInitial.next(load)));
    this.startState = watermark.partitionColumn ? refuseProjectedSource(this, props, loop).startState : loop.startState;
  }
}

/**
 * Points the Hive target at a location of this execution's own, `<target>executions/<uuid>/`,
 * before its windows (`ALTER TABLE … SET LOCATION`, a Glue `UpdateTable`): an `INSERT` registers
 * a new partition under the table's location only once it succeeds, so files a failed or stopped
 * window left are under an earlier execution's location, which no registered partition names, and
 * no query reads them. Registered partitions keep their own locations. No file is ever deleted.
 * See athena-rules.md rule 13.
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
 * `$partitions` lists only the partitions registered in the Glue catalog, which a table that uses
 * partition projection usually has none of (athena-rules.md rule 8): windows read from it would never
 * find the source's newer data, so the execution fails and says why, before any query.
 */
function refuseProjectedSource(scope: Construct, props: WatermarkLoopProps, loop: sfn.IChainable): sfn.Chain {
  const watermark = props.watermark;
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
    cause: `The source table ${props.databaseName}.${watermark.sourceTableName} uses partition projection, so "$partitions" lists none of its partitions and no newer data would ever be found. Set watermark.isPartitionColumn to false: the windows are then found from the values of ${watermark.column}.`,
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
