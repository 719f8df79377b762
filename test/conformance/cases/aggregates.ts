import { ConformanceCase, trinoDocs } from '../conformance-case';

const source = trinoDocs('functions/aggregate');
const family = 'aggregates';
const numbers = '(VALUES 1, 2, NULL, 4) AS t(x)';

export const AGGREGATE_CASES: ConformanceCase[] = [
  { query: "SELECT listagg(value, ',') WITHIN GROUP (ORDER BY value) csv_value FROM (VALUES 'a', 'c', 'b') t(value)", rows: [['a,b,c']], types: ['string'] },
  {
    query: "SELECT id, listagg(value, ',') WITHIN GROUP (ORDER BY o) csv_value FROM (VALUES (100, 1, 'a'), (200, 3, 'c'), (200, 2, 'b')) t(id, o, value) GROUP BY id ORDER BY id",
    rows: [['100', 'a'], ['200', 'b,c']],
    types: ['int', 'string'],
    ordered: true,
  },
  // "sum returns null rather than zero and avg does not include null values in the count."
  { query: `SELECT sum(x) FROM ${numbers} WHERE x > 10`, rows: [[null]], types: ['bigint'] },
  { query: `SELECT sum(x) FROM ${numbers}`, rows: [['7']], types: ['bigint'] },
  { query: `SELECT avg(x) FROM ${numbers}`, rows: [['2.3333333333333335']], types: ['double'] },
  { query: `SELECT count(x), count(*) FROM ${numbers}`, rows: [['3', '4']], types: ['bigint', 'bigint'] },
  { query: `SELECT count_if(x > 1) FROM ${numbers}`, rows: [['2']], types: ['bigint'] },
  { query: `SELECT max(x), min(x) FROM ${numbers}`, rows: [['4', '1']], types: ['int', 'int'] },
  { query: `SELECT bool_and(x > 0), bool_or(x > 3) FROM ${numbers}`, rows: [['true', 'true']], types: ['boolean', 'boolean'] },
  { query: "SELECT max_by(name, x), min_by(name, x) FROM (VALUES ('a', 1), ('b', 3), ('c', 2)) AS t(name, x)", rows: [['b', 'a']], types: ['string', 'string'] },
  { query: 'SELECT array_agg(x ORDER BY x DESC) FROM (VALUES 1, 3, 2) AS t(x)', rows: [[['3', '2', '1']]], types: ['array<int>'] },
  // "Zero is returned if all input values are null."
  { query: 'SELECT approx_distinct(x) FROM (VALUES CAST(NULL AS integer)) AS t(x)', rows: [['0']], types: ['bigint'] },
  { query: 'SELECT approx_distinct(x) FROM (VALUES 1, 2, 2, 3) AS t(x)', rows: [['3']], types: ['bigint'] },
  // Every percentile of equal values is that value.
  { query: 'SELECT approx_percentile(x, 0.5) FROM (VALUES 5, 5, 5) AS t(x)', rows: [['5']], types: ['int'] },
  { query: 'SELECT sum(x) FILTER (WHERE x > 1) FROM (VALUES 1, 2, 3) AS t(x)', rows: [['5']], types: ['bigint'] },
  { query: "SELECT histogram(x) FROM (VALUES 'a', 'b', 'a') AS t(x)", rows: [[{ map: [['a', '2'], ['b', '1']] }]], types: ['map<string,bigint>'] },
  { query: "SELECT map_agg(k, v) FROM (VALUES ('a', 1), ('b', 2)) AS t(k, v)", rows: [[{ map: [['a', '1'], ['b', '2']] }]], types: ['map<string,int>'] },
].map((c) => ({ ...c, family, source }));
