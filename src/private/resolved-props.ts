import { Annotations, Duration, RemovalPolicy, Size, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { CODE_PREFIX, deprecated, fail } from './errors';
import { DEFAULT_MAX_STALENESS, validateMaxStaleness } from './freshness';
import { normalizePrefix, validateGlueName, validateNonEmptyUnique, validateWorkGroupName } from './validation';
import { DataLocation } from '../data-location';
import { KeepDataUpToDateProps } from '../keep-data-up-to-date-props';
import { TargetQueries } from '../target-queries';
import { TargetStorage } from '../target-storage';

/** The context key that lets `removalPolicy: RemovalPolicy.DESTROY` delete data, as the Data Solutions Framework's `removeDataOnDestroy` does. */
export const REMOVE_DATA_ON_DESTROY = 'cdk-keep-data-up-to-date:removeDataOnDestroy';

/** The props with every default applied and the deprecated ones mapped onto their replacements. */
export interface ResolvedProps extends KeepDataUpToDateProps {
  readonly queries: TargetQueries;
  readonly target: TargetStorage;
  readonly singleWriter: boolean;
  readonly sourceDataLocations: DataLocation[];
  readonly resultsPrefix: string;
  readonly resultsExpiration: Duration;
  readonly maxStaleness: Duration;
  /** Whether `maxStaleness` was left unset, so that a workflow without a watermark may have it. */
  readonly maxStalenessIsDefault: boolean;
  readonly logLevel: sfn.LogLevel;
  readonly logRetention: logs.RetentionDays;
  /** The removal policy in effect: DESTROY only with the context opt-in. */
  readonly removalPolicy: RemovalPolicy;
}

/** Checks the props, then resolves them once: defaults, deprecated props, normalized prefixes. */
export function resolveProps(scope: IConstruct, props: KeepDataUpToDateProps): ResolvedProps {
  validateTables(scope, props);
  validateWorkGroup(scope, props);
  validateResults(scope, props);
  if (props.maxStaleness !== undefined) validateMaxStaleness(scope, props.maxStaleness);
  return {
    ...props,
    queries: resolveQueries(scope, props),
    target: resolveTarget(scope, props),
    singleWriter: resolveSingleWriter(scope, props),
    sourceDataLocations: (props.sourceDataLocations ?? []).map((location, i) => ({
      bucket: location.bucket,
      prefix: normalizePrefix(scope, `sourceDataLocations[${i}].prefix`, location.prefix),
    })),
    resultsPrefix: normalizePrefix(scope, 'resultsPrefix', props.resultsPrefix ?? 'athena-results/'),
    resultsExpiration: props.resultsExpiration ?? DEFAULT_RESULTS_EXPIRATION,
    maxStaleness: props.maxStaleness ?? DEFAULT_MAX_STALENESS,
    maxStalenessIsDefault: props.maxStaleness === undefined,
    logLevel: props.logLevel ?? sfn.LogLevel.ERROR,
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    removalPolicy: resolveRemovalPolicy(scope, props.removalPolicy),
  };
}

const DEFAULT_RESULTS_EXPIRATION = Duration.days(30);

function validateTables(scope: IConstruct, props: KeepDataUpToDateProps): void {
  validateGlueName(scope, 'databaseName', props.databaseName);
  validateGlueName(scope, 'targetTableName', props.targetTableName);
  validateNonEmptyUnique(scope, 'sourceTableNames', props.sourceTableNames);
  props.sourceTableNames.forEach((name, i) => validateGlueName(scope, `sourceTableNames[${i}]`, name));
  if (props.sourceTableNames.includes(props.targetTableName)) {
    fail(scope, 'InvalidSourceTables', `sourceTableNames must not include the target table '${props.targetTableName}'`);
  }
}

function validateWorkGroup(scope: IConstruct, props: KeepDataUpToDateProps): void {
  if (props.workGroupName === undefined) return;
  validateWorkGroupName(scope, 'workGroupName', props.workGroupName);
  const workGroupSettings = { bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery, resultsEncryptionKey: props.resultsEncryptionKey };
  for (const [name, value] of Object.entries(workGroupSettings)) {
    if (value !== undefined) {
      fail(scope, 'ConflictingProps', `${name} configures the workgroup the construct creates; it cannot be combined with workGroupName ('${props.workGroupName}')`);
    }
  }
}

function validateResults(scope: IConstruct, props: KeepDataUpToDateProps): void {
  if (props.resultsBucket && props.resultsExpiration) {
    fail(scope, 'ConflictingProps', 'resultsExpiration applies to the results bucket the construct creates; set a lifecycle rule on resultsBucket instead');
  }
  const cutoff = props.bytesScannedCutoffPerQuery?.toBytes();
  if (cutoff !== undefined && !Token.isUnresolved(cutoff) && cutoff < Size.mebibytes(10).toBytes()) {
    fail(scope, 'InvalidSize', `bytesScannedCutoffPerQuery must be at least 10 MB, Athena's minimum (got ${cutoff} bytes)`);
  }
  const expiration = props.resultsExpiration ?? DEFAULT_RESULTS_EXPIRATION;
  if (!Token.isUnresolved(expiration.toSeconds()) && expiration.toDays({ integral: false }) < 1) {
    fail(scope, 'InvalidDuration', `resultsExpiration must be at least one day (got ${expiration.toHumanString()})`);
  }
}

/** `queries`, or the deprecated props it replaces, never both. */
function resolveQueries(scope: IConstruct, props: KeepDataUpToDateProps): TargetQueries {
  const replaced = { createTargetQuery: props.createTargetQuery, updateTargetQuery: props.updateTargetQuery, watermark: props.watermark };
  if (props.queries) {
    for (const [name, value] of Object.entries(replaced)) {
      if (value !== undefined) fail(scope, 'ConflictingProps', `${name} (deprecated) cannot be combined with queries, which sets it`);
    }
    return props.queries;
  }
  if (props.createTargetQuery === undefined || props.updateTargetQuery === undefined) {
    fail(scope, 'MissingQueries', 'queries is required: for example TargetQueries.appendNewerRows({ ... }), or TargetQueries.fromTemplates(create, update, watermark)');
  }
  for (const [name, value] of Object.entries(replaced)) {
    if (value !== undefined) deprecated(scope, `KeepDataUpToDateProps#${name}`, 'queries: TargetQueries.fromTemplates(createTargetQuery, updateTargetQuery, watermark)');
  }
  return TargetQueries._fromDeprecatedProps(props.createTargetQuery, props.updateTargetQuery, props.watermark);
}

/** `target`, or the deprecated `targetDataLocation` and `mergeNewerRowsIntoS3Table`, one of them at most. */
function resolveTarget(scope: IConstruct, props: KeepDataUpToDateProps): TargetStorage {
  const legacyS3Table = props.queries?.s3TablesTarget;
  const choices = [
    props.target && 'target',
    props.targetDataLocation && 'targetDataLocation (deprecated)',
    legacyS3Table && 'queries (TargetQueries.mergeNewerRowsIntoS3Table, deprecated)',
  ].filter((choice): choice is string => typeof choice === 'string');
  if (choices.length > 1) {
    fail(scope, 'ConflictingProps', `${choices.join(' and ')} each say where the target lives: set target only`);
  }
  if (props.targetDataLocation) deprecated(scope, 'KeepDataUpToDateProps#targetDataLocation', 'target: TargetStorage.s3(targetDataLocation)');
  if (legacyS3Table) deprecated(scope, 'TargetQueries#mergeNewerRowsIntoS3Table', 'TargetQueries.mergeNewerRows with columnTypes, and target: TargetStorage.s3Table({ tableBucketArn, namespace })');
  const target = props.target
    ?? (legacyS3Table ? TargetStorage.s3Table(legacyS3Table) : TargetStorage.s3(props.targetDataLocation));
  if (target.s3TablesTarget) checkS3TableProps(scope, props);
  return target;
}

/** The props that an S3 table cannot take: its data, maintenance and encryption are S3's. */
function checkS3TableProps(scope: IConstruct, props: KeepDataUpToDateProps): void {
  const storage = 'target (TargetStorage.s3Table)';
  if (props.resultsEncryptionKey !== undefined) {
    fail(scope, 'UnsupportedTargetStorage', `resultsEncryptionKey cannot be combined with ${storage}: the workgroup would encrypt results with SSE-KMS, and Athena runs no INSERT or MERGE on S3 Tables in such a workgroup. Leave resultsEncryptionKey unset (SSE-S3)`);
  }
  if (props.icebergMaintenance === true) {
    fail(scope, 'UnsupportedTargetStorage', `icebergMaintenance turns on AWS Glue's table optimizers, and ${storage} is maintained by S3 itself: leave icebergMaintenance unset`);
  }
  if (props.snapshotRetention !== undefined) {
    fail(scope, 'UnsupportedTargetStorage', `snapshotRetention configures the Glue table optimizers, and ${storage} is maintained by S3 itself: set the table bucket's snapshot management instead`);
  }
}

function resolveSingleWriter(scope: IConstruct, props: KeepDataUpToDateProps): boolean {
  if (props.singleWriter !== undefined && props.skipWhenRunning !== undefined && props.singleWriter !== props.skipWhenRunning) {
    fail(scope, 'ConflictingProps', `skipWhenRunning (deprecated) and singleWriter disagree (${props.skipWhenRunning} and ${props.singleWriter}): set singleWriter only`);
  }
  if (props.skipWhenRunning !== undefined) deprecated(scope, 'KeepDataUpToDateProps#skipWhenRunning', 'singleWriter');
  return props.singleWriter ?? props.skipWhenRunning ?? true;
}

/** DESTROY deletes data only with the app's explicit opt-in; otherwise the data is retained, with a warning. */
function resolveRemovalPolicy(scope: IConstruct, removalPolicy: RemovalPolicy | undefined): RemovalPolicy {
  const policy = removalPolicy ?? RemovalPolicy.RETAIN;
  if (policy !== RemovalPolicy.DESTROY) return policy;
  const optIn = scope.node.tryGetContext(REMOVE_DATA_ON_DESTROY);
  if (optIn === true || optIn === 'true') return RemovalPolicy.DESTROY;
  Annotations.of(scope).addWarningV2(`${CODE_PREFIX}:removeDataOnDestroyNotSet`,
    `removalPolicy is DESTROY, but the context value ${REMOVE_DATA_ON_DESTROY} is not true, so the buckets, log group and lock table are retained. Set it (cdk deploy -c ${REMOVE_DATA_ON_DESTROY}=true) to delete them and their data with the stack.`);
  return RemovalPolicy.RETAIN;
}
