import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { typedLiteral } from './sql';
import { validateGlueName, validateWatermarkValue } from './validation';
import { ResolvedWatermark } from './watermark-types';
import { TargetTableType, WatermarkColumnType, WatermarkOptions } from '../watermark';

/** Where a watermark starts when the target is empty and no initial value is set: the lowest value of its type. */
const LOWEST_VALUE: Record<WatermarkColumnType, string> = {
  [WatermarkColumnType.STRING]: '',
  [WatermarkColumnType.DATE]: '0001-01-01',
  [WatermarkColumnType.TIMESTAMP]: '0001-01-01 00:00:00',
  // One above bigint's lowest, whose literal Trino cannot parse as a bigint.
  [WatermarkColumnType.INTEGER]: '-9223372036854775807',
};

/** The watermark with every default applied, validated against the source tables. */
export function resolveWatermark(
  scope: IConstruct,
  watermark: WatermarkOptions,
  sourceTableNames: string[],
  name: (field: string) => string = (field) => field,
): ResolvedWatermark {
  validateGlueName(scope, name('watermark.column'), watermark.column);
  const sourceTableName = watermark.sourceTableName ?? (sourceTableNames.length === 1 ? sourceTableNames[0] : undefined);
  if (sourceTableName === undefined) {
    fail(scope, 'InvalidWatermark', `${name('watermark.sourceTableName')} must name the source table that bounds each window when there are ${sourceTableNames.length} source tables`);
  }
  if (!sourceTableNames.includes(sourceTableName)) {
    fail(scope, 'InvalidWatermark', `${name('watermark.sourceTableName')} must be one of sourceTableNames (got '${sourceTableName}')`);
  }
  const maxPartitionsPerQuery = watermark.maxPartitionsPerQuery ?? 100;
  const validCount = Number.isInteger(maxPartitionsPerQuery) && maxPartitionsPerQuery >= 1 && maxPartitionsPerQuery <= 100;
  if (!Token.isUnresolved(maxPartitionsPerQuery) && !validCount) {
    fail(scope, 'InvalidWatermark', `${name('watermark.maxPartitionsPerQuery')} must be a whole number from 1 to 100, Athena's limit (got ${maxPartitionsPerQuery})`);
  }
  const lookbackPartitions = watermark.lookbackPartitions ?? 0;
  if (!Token.isUnresolved(lookbackPartitions) && (!Number.isInteger(lookbackPartitions) || lookbackPartitions < 0)) {
    fail(scope, 'InvalidWatermark', `${name('watermark.lookbackPartitions')} must be a whole number of 0 or more (got ${lookbackPartitions})`);
  }
  const { isPartitionColumn: current, partitionColumn: deprecated } = watermark;
  if (current !== undefined && deprecated !== undefined && current !== deprecated) {
    fail(scope, 'ConflictingProps', `${name('watermark.partitionColumn')} (deprecated) and ${name('watermark.isPartitionColumn')} disagree: set isPartitionColumn only`);
  }
  const partitionColumn = watermark.isPartitionColumn ?? watermark.partitionColumn ?? true;
  const columnType = watermark.columnType ?? WatermarkColumnType.STRING;
  if (watermark.initialValue !== undefined) validateWatermarkValue(scope, name('watermark.initialValue'), columnType, watermark.initialValue);
  const initialValue = watermark.initialValue ?? LOWEST_VALUE[columnType];
  // Iceberg's $partitions table describes partitions as a row, not as columns (see targetValues).
  const targetTableType = watermark.targetTableType ?? TargetTableType.HIVE;
  const targetPartitionMetadata = partitionColumn && targetTableType === TargetTableType.HIVE;
  const icebergPartitionMetadata = partitionColumn && targetTableType === TargetTableType.ICEBERG;
  if (targetPartitionMetadata && lookbackPartitions > 0 && columnType === WatermarkColumnType.TIMESTAMP) {
    // Hive escapes ':' in a timestamp partition's directory name, which the rewrite's S3 prefix would have to match.
    fail(scope, 'InvalidWatermark', `${name('watermark.lookbackPartitions')} cannot rewrite the partitions of a Hive target partitioned by a timestamp column; partition by a date or string column, or use an Iceberg target (TargetQueries.mergeNewerRows)`);
  }
  return {
    column: watermark.column,
    columnType,
    partitionColumn,
    sourceTableName,
    initialValue: watermark.initialValue ?? '',
    initialLiteral: typedLiteral(columnType, initialValue),
    maxPartitionsPerQuery,
    lookbackPartitions,
    targetPartitionMetadata,
    icebergPartitionMetadata,
  };
}
