import { ConformanceCase, trinoDocs } from '../conformance-case';

const source = trinoDocs('functions/regexp');
const family = 'regular expressions';
const text = "'I have 23 apples, 5 pears and 13 oranges'";

export const REGEXP_CASES: ConformanceCase[] = [
  { query: String.raw`SELECT regexp_count('1a 2b 14m', '\s*[a-z]+\s*')`, rows: [['3']], types: ['bigint'] },
  { query: String.raw`SELECT regexp_extract_all('1a 2b 14m', '\d+')`, rows: [[['1', '2', '14']]], types: ['array<string>'] },
  { query: String.raw`SELECT regexp_extract_all('1a 2b 14m', '(\d+)([a-z]+)', 2)`, rows: [[['a', 'b', 'm']]], types: ['array<string>'] },
  { query: String.raw`SELECT regexp_extract('1a 2b 14m', '\d+')`, rows: [['1']], types: ['string'] },
  { query: String.raw`SELECT regexp_extract('1a 2b 14m', '(\d+)([a-z]+)', 2)`, rows: [['a']], types: ['string'] },
  { query: String.raw`SELECT regexp_like('1a 2b 14m', '\d+b')`, rows: [['true']], types: ['boolean'] },
  { query: String.raw`SELECT regexp_position(${text}, '\b\d+\b')`, rows: [['8']], types: ['int'] },
  { query: String.raw`SELECT regexp_position(${text}, '\b\d+\b', 5)`, rows: [['8']], types: ['int'] },
  { query: String.raw`SELECT regexp_position(${text}, '\b\d+\b', 12)`, rows: [['19']], types: ['int'] },
  { query: String.raw`SELECT regexp_position(${text}, '\b\d+\b', 12, 1)`, rows: [['19']], types: ['int'] },
  { query: String.raw`SELECT regexp_position(${text}, '\b\d+\b', 12, 2)`, rows: [['31']], types: ['int'] },
  { query: String.raw`SELECT regexp_position(${text}, '\b\d+\b', 12, 3)`, rows: [['-1']], types: ['int'] },
  { query: String.raw`SELECT regexp_replace('1a 2b 14m', '\d+[ab] ')`, rows: [['14m']], types: ['string'] },
  { query: String.raw`SELECT regexp_replace('1a 2b 14m', '(\d+)([ab]) ', '3c$2 ')`, rows: [['3ca 3cb 14m']], types: ['string'] },
  { query: String.raw`SELECT regexp_replace('new york', '(\w)(\w*)', x -> upper(x[1]) || lower(x[2]))`, rows: [['New York']], types: ['string'] },
  { query: String.raw`SELECT regexp_split('1a 2b 14m', '\s*[a-z]+\s*')`, rows: [[['1', '2', '14', '']]], types: ['array<string>'] },
].map((c) => ({ ...c, family, source }));
