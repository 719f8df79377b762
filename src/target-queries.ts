import { Annotations, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CODE_PREFIX, deprecated, fail } from './private/errors';
import { appendCreateStatement, appendUpdateStatement, checkMergeColumns, checkPartitionColumnsLast, generatedWatermark, GLUE_TABLE, icebergCreateStatement, mergeStatement, mergeWatermark, partitionColumns, S3_TABLE } from './private/generated-statements';
import { renderQuery } from './private/query-template';
import { checkS3TableColumns, checkWatermarkColumnType, s3TableCreateStatement } from './private/s3-table-statements';
import { resolveWatermark } from './private/watermark-resolution';
import { S3TablesTarget } from './s3-tables-target';
import { AppendNewerRowsOptions, MergeNewerRowsIntoS3TableOptions, MergeNewerRowsOptions, QueryTemplates, TableCompression } from './target-queries-options';
import { TargetStorage } from './target-storage';
import { WatermarkOptions } from './watermark';

/**
 * What `TargetQueries.bind` is given by the construct that runs the statements.
 */
export interface TargetQueriesBindOptions {
  /** The construct's `sourceTableNames`. */
  readonly sourceTableNames: string[];
  /** Where the target lives. */
  readonly target: TargetStorage;
  /** The values of the `{{placeholder}}`s substituted at synth time, by name. */
  readonly placeholders: { [name: string]: string };
}

/**
 * The statements `TargetQueries.bind` returns, checked and with their placeholders substituted.
 */
export interface TargetQueriesConfig {
  /** The statement that creates the target table. */
  readonly createTargetQuery: string;
  /** The statement that adds newer source rows; with a watermark, `{{watermark}}` and `{{windowEnd}}` stay. */
  readonly updateTargetQuery: string;
  /**
   * How the workflow finds the target's newest value.
   *
   * @default - no watermark: the update statement finds the newer rows itself
   */
  readonly watermark?: WatermarkOptions;
}

/**
 * The two Athena statements that create the target table and add newer source rows to it.
 */
export abstract class TargetQueries {
  /**
   * Your own statements, with `{{placeholder}}`s.
   *
   * Placeholders, substituted at synth time: `{{database}}`, `{{targetTable}}`, `{{workGroup}}`,
   * `{{sourceTable}}` when there is exactly one source table, and `{{targetLocation}}` (the
   * target's S3 URI, ending in `/`) for `TargetStorage.s3`, or `{{targetCatalog}}` and
   * `{{targetNamespace}}` for `TargetStorage.s3Table`. With a watermark, the update statement
   * says `{{watermark}}` and `{{windowEnd}}` where each window's bounds go.
   *
   * @param createTargetQuery creates the target table, e.g. `CREATE TABLE … WITH (…) AS SELECT …`
   * @param updateTargetQuery adds the newer source rows, e.g. `INSERT INTO … SELECT … WHERE …`
   * @param watermark reads the target's newest value before each update; see `WatermarkOptions`
   */
  public static fromTemplates(createTargetQuery: string, updateTargetQuery: string, watermark?: WatermarkOptions): TargetQueries {
    return new TemplateQueries(createTargetQuery, updateTargetQuery, watermark, (field) => `queries (TargetQueries.fromTemplates: ${field})`);
  }

  /**
   * Your own statements, as `fromTemplates` takes them, named: the form to use from Python
   * without a watermark, where jsii makes the required fields of `fromTemplates`' optional last
   * argument required keyword arguments.
   */
  public static fromStatements(templates: QueryTemplates): TargetQueries {
    return new TemplateQueries(templates.createTargetQuery, templates.updateTargetQuery, templates.watermark,
      (field) => `queries (TargetQueries.fromStatements: ${field})`);
  }

  /**
   * Generated statements for the common case: the target is a partitioned Hive copy of one
   * source table, created empty and then filled with the source rows newer than its newest
   * `watermarkColumn` value, at most `maxPartitionsPerQuery` partitions per `INSERT`.
   * Identifiers are quoted. Writes to `TargetStorage.s3` only.
   */
  public static appendNewerRows(options: AppendNewerRowsOptions): TargetQueries {
    return new AppendQueries(options);
  }

  /**
   * Generated statements for rows that may arrive late or change: the target is an Apache
   * Iceberg table, created empty, and each run merges the source rows newer than the target's
   * (`lookbackPartitions` + 1)-th newest watermark value into it on `uniqueKey`, at most
   * `maxWatermarkValuesPerQuery` values per `MERGE`. The source rows of a window are first
   * reduced to one per key (the newest by `watermarkColumn`), since Athena fails a `MERGE` whose
   * source matches a target row twice. With `TargetStorage.s3Table`, the table is created with
   * `CREATE TABLE` and `columnTypes`. Identifiers are quoted.
   */
  public static mergeNewerRows(options: MergeNewerRowsOptions): TargetQueries {
    return new MergeQueries('mergeNewerRows', options);
  }

  /**
   * Like `mergeNewerRows`, into an Apache Iceberg table in a namespace of an Amazon S3 table bucket.
   *
   * @deprecated use `mergeNewerRows` with `columnTypes`, and `target: TargetStorage.s3Table({ tableBucketArn, namespace })` on the construct
   */
  public static mergeNewerRowsIntoS3Table(options: MergeNewerRowsIntoS3TableOptions): TargetQueries {
    return new MergeQueries('mergeNewerRowsIntoS3Table', options, { tableBucketArn: options.tableBucketArn, namespace: options.namespace });
  }

  /**
   * The statements of the deprecated `createTargetQuery`, `updateTargetQuery` and `watermark`
   * props, whose errors name those props.
   *
   * @internal
   */
  public static _fromDeprecatedProps(createTargetQuery: string, updateTargetQuery: string, watermark?: WatermarkOptions): TargetQueries {
    return new TemplateQueries(createTargetQuery, updateTargetQuery, watermark, (field) => field);
  }

  /**
   * The statement that creates the target table, before placeholders are substituted.
   *
   * @deprecated read `bind(...).createTargetQuery`, or `KeepDataUpToDate.createTargetQuery`
   */
  public abstract readonly createTargetQuery: string;
  /**
   * The statement that adds newer source rows to the target, before placeholders are substituted.
   *
   * @deprecated read `bind(...).updateTargetQuery`, or `KeepDataUpToDate.updateTargetQuery`
   */
  public abstract readonly updateTargetQuery: string;
  /**
   * How the workflow finds the target's newest value, if it does.
   *
   * @deprecated read `bind(...).watermark`
   */
  public abstract readonly watermark?: WatermarkOptions;
  /**
   * The S3 table bucket namespace the target is created in, for `mergeNewerRowsIntoS3Table`.
   *
   * @deprecated set `target: TargetStorage.s3Table(...)` on the construct
   */
  public abstract readonly s3TablesTarget?: S3TablesTarget;

  /**
   * Checks the statements against the construct that runs them and substitutes their
   * placeholders. Errors name `scope` and the option that is wrong.
   */
  public bind(scope: Construct, options: TargetQueriesBindOptions): TargetQueriesConfig {
    return bindTemplates(scope, options, this, (field) => `queries (${field})`);
  }
}

/** The statements as templates, before their placeholders are substituted. */
interface Templates {
  readonly createTargetQuery: string;
  readonly updateTargetQuery: string;
  readonly watermark?: WatermarkOptions;
}

/**
 * Validates the watermark, warns of what deploys but is unsafe, and substitutes the placeholders;
 * `name` says how an error or warning names a field.
 */
function bindTemplates(
  scope: Construct,
  options: TargetQueriesBindOptions,
  templates: Templates,
  name: (field: string) => string,
): TargetQueriesConfig {
  const watermark = templates.watermark;
  const resolved = watermark && resolveWatermark(scope, watermark, options.sourceTableNames, name);
  if (watermark?.partitionColumn !== undefined) deprecated(scope, 'WatermarkOptions#partitionColumn', 'isPartitionColumn');
  const warn = (id: string, message: string) => Annotations.of(scope).addWarningV2(`${CODE_PREFIX}:${id}`, message);
  // An S3 table's data is placed by S3 Tables: it has no location to name (athena-rules.md rule 18).
  if (!options.target.s3TablesTarget && !Token.isUnresolved(templates.createTargetQuery) && !/\{\{\s*targetLocation\s*\}\}/.test(templates.createTargetQuery)) {
    warn('createWithoutTargetLocation',
      `${name('createTargetQuery')} does not use {{targetLocation}}: a CTAS without external_location writes the table's data under the query-results prefix, where the role's grants and the results expiration do not fit table data. Add external_location = '{{targetLocation}}'.`);
  }
  // A Hive target partitioned by the watermark has the partitions a lookback loads again emptied first.
  if (resolved && resolved.lookbackPartitions > 0 && !resolved.targetPartitionMetadata && !/^\s*MERGE\s/i.test(templates.updateTargetQuery)) {
    warn('lookbackWithoutMerge',
      `${name('watermark.lookbackPartitions')} loads the target's ${resolved.lookbackPartitions} newest partitions again on every run, but ${name('updateTargetQuery')} is not a MERGE: unless it is idempotent, those rows are inserted twice.`);
  }
  return {
    createTargetQuery: renderQuery(scope, name('createTargetQuery'), templates.createTargetQuery, options.placeholders),
    updateTargetQuery: renderQuery(scope, name('updateTargetQuery'), templates.updateTargetQuery, options.placeholders, watermark ? ['watermark', 'windowEnd'] : []),
    watermark,
  };
}

class TemplateQueries extends TargetQueries {
  public readonly s3TablesTarget?: S3TablesTarget = undefined;

  constructor(
    public readonly createTargetQuery: string,
    public readonly updateTargetQuery: string,
    public readonly watermark: WatermarkOptions | undefined,
    private readonly name: (field: string) => string,
  ) {
    super();
  }

  public bind(scope: Construct, options: TargetQueriesBindOptions): TargetQueriesConfig {
    return bindTemplates(scope, options, this, this.name);
  }
}

/** What the generated strategies' options are called, by the watermark field each one sets. */
const GENERATED_OPTION_NAMES: Record<string, string> = {
  'watermark.column': 'watermarkColumn',
  'watermark.columnType': 'watermarkType',
  'watermark.sourceTableName': 'sourceTableName',
  'watermark.initialValue': 'initialWatermark',
  'watermark.maxPartitionsPerQuery': 'maxPartitionsPerQuery',
  'watermark.lookbackPartitions': 'lookbackPartitions',
};

/** How an error names an option of a generated strategy: `queries (TargetQueries.appendNewerRows: initialWatermark)`. */
function optionNamer(method: string, renamed: Record<string, string> = {}): (field: string) => string {
  return (field) => `queries (TargetQueries.${method}: ${renamed[field] ?? GENERATED_OPTION_NAMES[field] ?? field})`;
}

class AppendQueries extends TargetQueries {
  public readonly s3TablesTarget?: S3TablesTarget = undefined;

  constructor(private readonly options: AppendNewerRowsOptions) {
    super();
  }

  public get createTargetQuery(): string {
    return appendCreateStatement(this.options);
  }

  public get updateTargetQuery(): string {
    return appendUpdateStatement(this.options);
  }

  public get watermark(): WatermarkOptions {
    return generatedWatermark(this.options, partitionColumns(this.options));
  }

  public bind(scope: Construct, options: TargetQueriesBindOptions): TargetQueriesConfig {
    const name = optionNamer('appendNewerRows');
    if (options.target.s3TablesTarget) {
      fail(scope, 'UnsupportedTargetStorage', 'queries (TargetQueries.appendNewerRows) writes a Hive table, which target (TargetStorage.s3Table) cannot hold: an S3 table bucket holds Iceberg tables only. Use TargetQueries.mergeNewerRows with columnTypes, or TargetStorage.s3()');
    }
    if (this.options.columns) checkPartitionColumnsLast(scope, this.options.columns, partitionColumns(this.options));
    return bindTemplates(scope, options, this, name);
  }
}

class MergeQueries extends TargetQueries {
  constructor(
    private readonly method: string,
    private readonly options: MergeNewerRowsOptions,
    public readonly s3TablesTarget?: S3TablesTarget,
  ) {
    super();
  }

  public get createTargetQuery(): string {
    return this.s3TablesTarget ? this.s3TableCreateStatement() : icebergCreateStatement(this.options);
  }

  public get updateTargetQuery(): string {
    return mergeStatement(this.s3TablesTarget ? S3_TABLE : GLUE_TABLE, this.options);
  }

  public get watermark(): WatermarkOptions {
    return mergeWatermark(this.options);
  }

  public bind(scope: Construct, options: TargetQueriesBindOptions): TargetQueriesConfig {
    const name = optionNamer(this.method, {
      'watermark.maxPartitionsPerQuery': this.options.maxPartitionsPerQuery !== undefined ? 'maxPartitionsPerQuery' : 'maxWatermarkValuesPerQuery',
    });
    checkMergeColumns(scope, name, this.options);
    if (this.options.maxPartitionsPerQuery !== undefined) deprecated(scope, 'MergeNewerRowsOptions#maxPartitionsPerQuery', 'maxWatermarkValuesPerQuery');
    const s3Table = options.target.s3TablesTarget ?? this.s3TablesTarget;
    const templates: Templates = s3Table
      ? {
        createTargetQuery: this.checkedS3TableCreateStatement(scope, name),
        updateTargetQuery: mergeStatement(S3_TABLE, this.options),
        watermark: this.watermark,
      }
      : this;
    if (!s3Table && this.options.columnTypes !== undefined) {
      fail(scope, 'ConflictingProps', `${name('columnTypes')} types the columns of an S3 table (TargetStorage.s3Table); an Iceberg table in S3 (TargetStorage.s3) takes the source's types. Remove columnTypes`);
    }
    return bindTemplates(scope, options, templates, name);
  }

  private checkedS3TableCreateStatement(scope: Construct, name: (field: string) => string): string {
    const columnTypes = this.options.columnTypes ?? fail(scope, 'InvalidColumns',
      `${name('columnTypes')} must give the type of each column: an S3 table (TargetStorage.s3Table) is created with CREATE TABLE, not from the source's columns`);
    checkS3TableColumns(scope, name, this.options.columns, columnTypes, this.options.partitionedBy ?? [this.options.watermarkColumn]);
    checkWatermarkColumnType(scope, name, { ...this.options, columnTypes });
    return this.s3TableCreateStatement();
  }

  private s3TableCreateStatement(): string {
    return s3TableCreateStatement(this.options.columns, this.options.columnTypes ?? {},
      this.options.partitionedBy ?? [this.options.watermarkColumn], this.options.compression ?? TableCompression.SNAPPY);
  }
}
