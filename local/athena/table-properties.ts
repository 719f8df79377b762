import { UnsupportedStatementError } from './errors';
import { identifierValue, stringValue, Token } from './lexer';

/** The CTAS table properties the local runner honours. */
export interface TableProperties {
  /** The `s3://` URI the table's files are written under. */
  readonly externalLocation?: string;
  /** Partition columns, in order; they must be the query's last columns. */
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

/**
 * Reads the `WITH (name = value, …)` of an Athena CTAS. A property the local runner cannot
 * honour (another format, bucketing, Iceberg) is refused, never ignored.
 */
export function parseTableProperties(tokens: Token[], statement: string): TableProperties {
  const values = readProperties(tokens, statement);
  const unsupported = (what: string) => new UnsupportedStatementError(what, statement);
  const text = (name: string): string | undefined => {
    const value = values.get(name);
    if (value !== undefined && typeof value !== 'string') throw unsupported(`a ${name} that is not a string literal`);
    return value;
  };

  for (const name of values.keys()) {
    if (!['format', 'external_location', 'partitioned_by', 'write_compression', 'parquet_compression', 'table_type', 'is_external'].includes(name)) {
      throw unsupported(`the table property ${name}`);
    }
  }
  const format = (text('format') ?? 'PARQUET').toUpperCase();
  if (format !== 'PARQUET') throw unsupported(`format = '${format}' (only PARQUET)`);
  const tableType = (text('table_type') ?? 'HIVE').toUpperCase();
  if (tableType !== 'HIVE') throw unsupported(`table_type = '${tableType}' (only Hive tables)`);
  if (values.has('is_external') && values.get('is_external') !== true) throw unsupported('is_external = false');

  const partitionedBy = values.get('partitioned_by') ?? [];
  if (!Array.isArray(partitionedBy)) throw unsupported('a partitioned_by that is not ARRAY[\'column\', …]');

  const codecName = (text('write_compression') ?? text('parquet_compression') ?? 'GZIP').toUpperCase();
  const compression = PARQUET_CODECS[codecName];
  if (!compression) throw unsupported(`write_compression = '${codecName}'`);

  const externalLocation = text('external_location');
  return {
    externalLocation: externalLocation && !externalLocation.endsWith('/') ? `${externalLocation}/` : externalLocation,
    partitionedBy: partitionedBy.map((column) => column.toLowerCase()),
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
