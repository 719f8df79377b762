import { WatermarkColumnType } from '../watermark';

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
