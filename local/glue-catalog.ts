import * as fs from 'node:fs';
import * as path from 'node:path';

/** A column as Glue stores it: a name and a Hive type (`bigint`, `string`, `decimal(10,2)` …). */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
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
