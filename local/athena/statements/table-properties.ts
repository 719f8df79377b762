import { identifierValue, stringValue, Token } from './lexer';
import { UnsupportedStatementError } from '../api/errors';

/** The CTAS table properties the local runner honours. */
export interface TableProperties {
  /** `ICEBERG` for `table_type = 'ICEBERG', is_external = false`. @default - a Hive table */
  readonly tableType?: 'ICEBERG';
  /** A Hive table's `external_location`: the `s3://` URI its files are written under. */
  readonly externalLocation?: string;
  /** An Iceberg table's `location`. */
  readonly location?: string;
  /**
   * A Hive table's `partitioned_by` columns, in order (they must be the query's last columns),
   * or an Iceberg table's identity `partitioning` columns.
   */
  readonly partitionedBy: string[];
  /** DuckDB's name for the Parquet compression codec. */
  readonly compression: string;
}

type PropertyValue = string | number | boolean | string[];

/** Athena's Parquet codecs and what DuckDB calls them; Athena's default for Parquet is GZIP. */
const PARQUET_CODECS: Record<string, string> = {
  GZIP: 'gzip',
  SNAPPY: 'snappy',
  ZSTD: 'zstd',
  LZ4: 'lz4_raw',
  NONE: 'uncompressed',
};

/** Athena writes an Iceberg table's Parquet with these codecs, ZSTD by default (no LZ4). */
const ICEBERG_PARQUET_CODECS: Record<string, string> = {
  GZIP: 'gzip',
  SNAPPY: 'snappy',
  ZSTD: 'zstd',
  NONE: 'uncompressed',
  UNCOMPRESSED: 'uncompressed',
};

const HIVE_PROPERTIES = ['format', 'external_location', 'partitioned_by', 'write_compression', 'parquet_compression', 'table_type', 'is_external'];
const ICEBERG_PROPERTIES = ['table_type', 'is_external', 'location', 'format', 'write_compression', 'partitioning'];

/**
 * Reads the `WITH (name = value, …)` of an Athena CTAS. A property the local runner cannot
 * honour (another format, bucketing, a partition transform) is refused, never ignored.
 */
export function parseTableProperties(tokens: Token[], statement: string): TableProperties {
  const values = readProperties(tokens, statement);
  const unsupported = (what: string) => new UnsupportedStatementError(what, statement);
  const text = (name: string): string | undefined => {
    const value = values.get(name);
    if (value !== undefined && typeof value !== 'string') throw unsupported(`a ${name} that is not a string literal`);
    return value;
  };
  const list = (name: string): string[] => {
    const value = values.get(name) ?? [];
    if (!Array.isArray(value)) throw unsupported(`a ${name} that is not ARRAY['column', …]`);
    return value;
  };
  const withSlash = (uri: string | undefined) => (uri && !uri.endsWith('/') ? `${uri}/` : uri);

  const tableType = (text('table_type') ?? 'HIVE').toUpperCase();
  const iceberg = tableType === 'ICEBERG' && values.get('is_external') === false;
  for (const name of values.keys()) {
    if (!(iceberg ? ICEBERG_PROPERTIES : HIVE_PROPERTIES).includes(name)) {
      throw unsupported(name === 'location'
        ? "the table property location (Athena takes it for Iceberg tables: table_type = 'ICEBERG', is_external = false)"
        : `the table property ${name}${iceberg ? ' of an Iceberg table' : ''}`);
    }
  }
  const format = (text('format') ?? 'PARQUET').toUpperCase();
  if (format !== 'PARQUET') throw unsupported(`format = '${format}' (only PARQUET)`);

  if (iceberg) {
    const codecName = (text('write_compression') ?? 'ZSTD').toUpperCase();
    const compression = ICEBERG_PARQUET_CODECS[codecName];
    if (!compression) throw unsupported(`write_compression = '${codecName}' for an Iceberg table`);
    const partitionedBy = list('partitioning').map((field) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw unsupported(`the partition transform '${field}' (only identity partitioning by a column)`);
      return field.toLowerCase();
    });
    return { tableType: 'ICEBERG', location: withSlash(text('location')), partitionedBy, compression };
  }

  if (tableType === 'ICEBERG') throw unsupported("table_type = 'ICEBERG' without is_external = false");
  if (tableType !== 'HIVE') throw unsupported(`table_type = '${tableType}' (only Hive and Iceberg tables)`);
  if (values.has('is_external') && values.get('is_external') !== true) throw unsupported('is_external = false');

  const codecName = (text('write_compression') ?? text('parquet_compression') ?? 'GZIP').toUpperCase();
  const compression = PARQUET_CODECS[codecName];
  if (!compression) throw unsupported(`write_compression = '${codecName}'`);

  return {
    externalLocation: withSlash(text('external_location')),
    partitionedBy: list('partitioned_by').map((column) => column.toLowerCase()),
    compression,
  };
}

function readProperties(tokens: Token[], statement: string): Map<string, PropertyValue> {
  const values = new Map<string, PropertyValue>();
  let i = 0;
  const fail = () => new UnsupportedStatementError(`the table properties (${tokens.map((token) => token.text).join(' ')})`, statement);
  while (i < tokens.length) {
    const name = tokens[i];
    if ((name.kind !== 'word' && name.kind !== 'quoted') || tokens[i + 1]?.text !== '=') throw fail();
    i += 2;
    const value = tokens[i];
    if (!value) throw fail();
    if (value.kind === 'string') {
      values.set(identifierValue(name), stringValue(value));
      i++;
    } else if (value.kind === 'number') {
      values.set(identifierValue(name), Number(value.text));
      i++;
    } else if (value.kind === 'word' && /^(true|false)$/i.test(value.text)) {
      values.set(identifierValue(name), value.text.toLowerCase() === 'true');
      i++;
    } else if (value.kind === 'word' && value.text.toUpperCase() === 'ARRAY' && tokens[i + 1]?.text === '[') {
      const items: string[] = [];
      i += 2;
      while (tokens[i]?.kind === 'string') {
        items.push(stringValue(tokens[i++]));
        if (tokens[i]?.text === ',') i++;
      }
      if (tokens[i]?.text !== ']') throw fail();
      i++;
      values.set(identifierValue(name), items);
    } else {
      throw fail();
    }
    if (i < tokens.length && tokens[i++].text !== ',') throw fail();
  }
  return values;
}
