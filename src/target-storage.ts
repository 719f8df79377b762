import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataLocation } from './data-location';
import { S3TablesTarget } from './s3-tables-target';

/**
 * Where in Amazon S3 the target's files go, for `TargetStorage.s3`. Every field is optional, so
 * that `TargetStorage.s3()` works in every jsii language.
 */
export interface S3StorageOptions {
  /**
   * The bucket that holds the target's data.
   *
   * @default - a new encrypted bucket (`TargetBucket`)
   */
  readonly bucket?: s3.IBucket;

  /**
   * The key prefix of the target's data, ending in `/`.
   *
   * @default - the whole bucket when `bucket` is given; `<targetTableName>/` in a new bucket
   */
  readonly prefix?: string;
}

/**
 * Where the target table's data lives: files in Amazon S3 (a Hive or Apache Iceberg table in the
 * Glue Data Catalog), or an Apache Iceberg table in an Amazon S3 table bucket.
 */
export class TargetStorage {
  /**
   * Hive or Iceberg files under an S3 location. The workflow's role may read and write objects
   * under it, and delete none.
   *
   * @param options the bucket and prefix; a `DataLocation` is one
   */
  public static s3(options: S3StorageOptions = {}): TargetStorage {
    return new TargetStorage(options, undefined);
  }

  /**
   * An Apache Iceberg table in a namespace of an Amazon S3 table bucket, which S3 maintains
   * itself (compaction, snapshot management, unreferenced-file removal) and whose data S3 Tables
   * places. Write to it with `TargetQueries.mergeNewerRows` (with `columnTypes`) or your own
   * statements. See docs/table-types.md, "Amazon S3 Tables as a target", for the account set-up it needs.
   */
  public static s3Table(table: S3TablesTarget): TargetStorage {
    return new TargetStorage(undefined, table);
  }

  /** The S3 location, for `TargetStorage.s3` with a bucket; undefined when the construct creates the bucket or the target is an S3 table. */
  public readonly dataLocation?: DataLocation;
  /** The key prefix in the bucket the construct creates, for `TargetStorage.s3` with a prefix and no bucket. */
  public readonly prefixInNewBucket?: string;
  /** The table bucket namespace, for `TargetStorage.s3Table(...)`. */
  public readonly s3TablesTarget?: S3TablesTarget;

  private constructor(s3Options: S3StorageOptions | undefined, s3Table: S3TablesTarget | undefined) {
    this.dataLocation = s3Options?.bucket ? { bucket: s3Options.bucket, prefix: s3Options.prefix } : undefined;
    this.prefixInNewBucket = s3Options?.bucket ? undefined : s3Options?.prefix;
    this.s3TablesTarget = s3Table;
  }
}
