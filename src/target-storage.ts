import { DataLocation } from './data-location';
import { S3TablesTarget } from './s3-tables-target';

/**
 * Where the target table's data lives: files in Amazon S3 (a Hive or Apache Iceberg table in the
 * Glue Data Catalog), or an Apache Iceberg table in an Amazon S3 table bucket.
 */
export class TargetStorage {
  /**
   * Hive or Iceberg files under an S3 location. The workflow's role may read and write objects
   * under it, and delete none.
   *
   * @param location the bucket and prefix; default: a new encrypted bucket (`TargetBucket`), prefix `<targetTableName>/`
   */
  public static s3(location?: DataLocation): TargetStorage {
    return new TargetStorage(location, undefined);
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

  /** The S3 location, for `TargetStorage.s3(location)`; undefined when the construct creates the bucket or the target is an S3 table. */
  public readonly dataLocation?: DataLocation;
  /** The table bucket namespace, for `TargetStorage.s3Table(...)`. */
  public readonly s3TablesTarget?: S3TablesTarget;

  private constructor(dataLocation: DataLocation | undefined, s3Table: S3TablesTarget | undefined) {
    this.dataLocation = dataLocation;
    this.s3TablesTarget = s3Table;
  }
}
