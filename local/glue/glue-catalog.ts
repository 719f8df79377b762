import * as fs from 'node:fs';
import * as path from 'node:path';

/** A column as Glue stores it: a name and a Hive type (`bigint`, `string`, `decimal(10,2)` …). */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
}

/** A partition of a Hive table as Glue registers it: its values, in partition-key order, and where its files are. */
export interface GluePartition {
  readonly values: string[];
  /** The `s3://` URI of the partition's files, ending in `/`. */
  readonly location: string;
}

/** What the local catalog knows of a table: enough for Glue `GetTable` and for the engine to read it. */
export interface GlueTable {
  readonly databaseName: string;
  readonly name: string;
  /** The `s3://` URI of the table's data, ending in `/`. */
  readonly location: string;
  /** The file format; the local engine reads and writes only Parquet. */
  readonly format: 'parquet';
  /** The data columns, without the partition keys (of an Iceberg table: every column). */
  readonly columns: GlueColumn[];
  /** A Hive table's partition keys; an Iceberg table has none in Glue (see `partitioning`). */
  readonly partitionKeys: GlueColumn[];
  /** `ICEBERG` for an Apache Iceberg table. @default - a Hive table */
  readonly tableType?: 'ICEBERG';
  /** An Iceberg table's partition columns (identity transforms), which lay out its data files. */
  readonly partitioning?: string[];
  /**
   * The table's parameters beyond those the local catalog sets itself, e.g.
   * `projection.enabled: 'true'` for a table that uses partition projection.
   * @default - none
   */
  readonly parameters?: Record<string, string>;
  /**
   * A Hive table's registered partitions: Athena reads a partitioned table's data from the
   * locations of the partitions registered in the catalog, not from whatever lies under the
   * table's location (https://docs.aws.amazon.com/athena/latest/ug/partitions.html). CTAS and
   * INSERT register what they write, once they succeed.
   * @default - every `key=value/` directory under the location counts as registered, as after
   * `MSCK REPAIR TABLE`: a source table whose partitions land in S3 and are crawled
   */
  readonly partitions?: GluePartition[];
  /** The Parquet codec (DuckDB's name) that queries write the table's files with. */
  readonly compression: string;
  readonly createTime: string;
}

interface CatalogFile {
  databases: Record<string, { tables: Record<string, GlueTable> }>;
}

/**
 * A stand-in for the Glue Data Catalog, kept in one JSON file so that a later run (or process)
 * sees the tables an earlier one created.
 */
export class GlueCatalog {
  /** The table in the shape of Glue's `GetTable` response. */
  public static toGetTableResponse(table: GlueTable): Record<string, any> {
    return {
      Table: {
        Name: table.name,
        DatabaseName: table.databaseName,
        CatalogId: '123456789012',
        TableType: 'EXTERNAL_TABLE',
        CreateTime: table.createTime,
        Parameters: {
          ...(table.tableType === 'ICEBERG' ? { table_type: 'ICEBERG' } : { classification: table.format, EXTERNAL: 'TRUE' }),
          ...table.parameters,
        },
        PartitionKeys: table.partitionKeys.map(toGlueColumn),
        StorageDescriptor: {
          Columns: table.columns.map(toGlueColumn),
          Location: table.location,
          InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    };
  }

  private readonly data: CatalogFile;

  constructor(public readonly file: string) {
    this.data = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogFile : { databases: {} };
  }

  public getTable(databaseName: string, name: string): GlueTable | undefined {
    return this.data.databases[databaseName]?.tables[name];
  }

  public tables(): GlueTable[] {
    return Object.values(this.data.databases).flatMap((database) => Object.values(database.tables));
  }

  public databaseNames(): string[] {
    return Object.keys(this.data.databases);
  }

  public createDatabase(name: string): void {
    this.data.databases[name] ??= { tables: {} };
    this.save();
  }

  /** Adds a table; fails, as Glue's `CreateTable` does, when it exists. */
  public createTable(table: GlueTable): void {
    if (this.getTable(table.databaseName, table.name)) {
      throw new Error(`Table ${table.databaseName}.${table.name} already exists`);
    }
    this.data.databases[table.databaseName] ??= { tables: {} };
    this.data.databases[table.databaseName].tables[table.name] = table;
    this.save();
  }

  /** Removes a table, as Glue's `DeleteTable` does; its files stay where they are. */
  public deleteTable(databaseName: string, name: string): void {
    this.requireTable(databaseName, name);
    delete this.data.databases[databaseName].tables[name];
    this.save();
  }

  /** Registers partitions of a table (Glue `BatchCreatePartition`); those registered already are left as they are. */
  public addPartitions(databaseName: string, name: string, partitions: GluePartition[]): void {
    const table = this.requireTable(databaseName, name);
    const registered = [...(table.partitions ?? [])];
    for (const partition of partitions) {
      if (!registered.some((existing) => existing.values.join('\u0000') === partition.values.join('\u0000'))) registered.push(partition);
    }
    this.replaceTable({ ...table, partitions: registered });
  }

  /** Changes a table's location (Glue `UpdateTable`); its partitions keep theirs. */
  public setLocation(databaseName: string, name: string, location: string): void {
    this.replaceTable({ ...this.requireTable(databaseName, name), location });
  }

  private requireTable(databaseName: string, name: string): GlueTable {
    const table = this.getTable(databaseName, name);
    if (!table) throw new Error(`Table ${databaseName}.${name} not found`);
    return table;
  }

  private replaceTable(table: GlueTable): void {
    this.data.databases[table.databaseName].tables[table.name] = table;
    this.save();
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.data, undefined, 2));
    fs.renameSync(temporary, this.file);
  }
}

function toGlueColumn(column: GlueColumn) {
  return { Name: column.name, Type: column.type };
}
