import { ConformanceCase, trinoDocs } from '../conformance-case';

const source = trinoDocs('functions/window');
const family = 'window functions';
const scores = "(VALUES ('a', 10), ('b', 20), ('c', 20), ('d', 30)) AS t(name, score)";

export const WINDOW_CASES: ConformanceCase[] = [
  // "with 6 rows and 4 buckets, the bucket values would be as follows: 1 1 2 2 3 4"
  { query: 'SELECT x, ntile(4) OVER (ORDER BY x) FROM (VALUES 1, 2, 3, 4, 5, 6) AS t(x) ORDER BY x', rows: [['1', '1'], ['2', '1'], ['3', '2'], ['4', '2'], ['5', '3'], ['6', '4']], types: ['int', 'bigint'], ordered: true },
  // rank: tie values produce gaps; dense_rank: no gaps; row_number: unique.
  { query: `SELECT name, rank() OVER (ORDER BY score) FROM ${scores} ORDER BY name`, rows: [['a', '1'], ['b', '2'], ['c', '2'], ['d', '4']], types: ['string', 'bigint'], ordered: true },
  { query: `SELECT name, dense_rank() OVER (ORDER BY score) FROM ${scores} ORDER BY name`, rows: [['a', '1'], ['b', '2'], ['c', '2'], ['d', '3']], types: ['string', 'bigint'], ordered: true },
  { query: `SELECT name, row_number() OVER (ORDER BY score, name) FROM ${scores} ORDER BY name`, rows: [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']], types: ['string', 'bigint'], ordered: true },
  // percent_rank: (r - 1) / (n - 1).
  { query: `SELECT name, percent_rank() OVER (ORDER BY score) FROM ${scores} ORDER BY name`, rows: [['a', '0.0'], ['b', '0.3333333333333333'], ['c', '0.3333333333333333'], ['d', '1.0']], types: ['string', 'double'], ordered: true },
  // lag/lead: the default offset is 1; outside the partition, the default value or null.
  { query: `SELECT name, lag(score) OVER (ORDER BY name) FROM ${scores} ORDER BY name`, rows: [['a', null], ['b', '10'], ['c', '20'], ['d', '20']], types: ['string', 'int'], ordered: true },
  { query: `SELECT name, lead(score, 2, 0) OVER (ORDER BY name) FROM ${scores} ORDER BY name`, rows: [['a', '20'], ['b', '30'], ['c', '0'], ['d', '0']], types: ['string', 'int'], ordered: true },
  // The default frame is RANGE UNBOUNDED PRECEDING: up to the last peer of the current row.
  { query: `SELECT name, sum(score) OVER (ORDER BY score) FROM ${scores} ORDER BY name`, rows: [['a', '10'], ['b', '50'], ['c', '50'], ['d', '80']], types: ['string', 'bigint'], ordered: true },
  { query: `SELECT name, first_value(name) OVER (ORDER BY score) FROM ${scores} ORDER BY name`, rows: [['a', 'a'], ['b', 'a'], ['c', 'a'], ['d', 'a']], types: ['string', 'string'], ordered: true },
  { query: `SELECT name, nth_value(name, 2) OVER (ORDER BY name) FROM ${scores} ORDER BY name`, rows: [['a', null], ['b', 'b'], ['c', 'b'], ['d', 'b']], types: ['string', 'string'], ordered: true },
  { query: `SELECT name, count(*) OVER (PARTITION BY score) FROM ${scores} ORDER BY name`, rows: [['a', '1'], ['b', '2'], ['c', '2'], ['d', '1']], types: ['string', 'bigint'], ordered: true },
  // IGNORE NULLS: rows where x is null are excluded.
  { query: 'SELECT k, lag(x) IGNORE NULLS OVER (ORDER BY k) FROM (VALUES (1, 10), (2, NULL), (3, 30)) AS t(k, x) ORDER BY k', rows: [['1', null], ['2', '10'], ['3', '10']], types: ['int', 'int'], ordered: true },
].map((c) => ({ ...c, family, source }));
