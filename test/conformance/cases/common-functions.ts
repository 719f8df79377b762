import { ConformanceCase, trinoDocs } from '../conformance-case';

const math = trinoDocs('functions/math');
const datetime = trinoDocs('functions/datetime');
const string = trinoDocs('functions/string');
const json = trinoDocs('functions/json');
const array = trinoDocs('functions/array');
const map = trinoDocs('functions/map');
const aggregate = trinoDocs('functions/aggregate');
const window = trinoDocs('functions/window');
const comparison = trinoDocs('functions/comparison');
const logical = trinoDocs('functions/logical');
const scores = "(VALUES ('a', 10), ('b', 20), ('c', 20), ('d', 30)) AS t(name, score)";
const moment = "TIMESTAMP '2022-10-20 05:10:07'";

/** Functions users write in derived tables, each with the result its definition on the page gives. */
export const COMMON_FUNCTION_CASES: ConformanceCase[] = [
  { family: 'math and decimals', source: math, query: 'SELECT floor(-1.5e0), ceil(1.2e0), ceiling(-1.2e0)', rows: [['-2.0', '2.0', '-1.0']], types: ['double', 'double', 'double'] },
  { family: 'math and decimals', source: math, query: 'SELECT exp(0), e(), radians(180)', rows: [['1.0', '2.718281828459045', '3.141592653589793']], types: ['double', 'double', 'double'] },
  { family: 'math and decimals', source: math, query: 'SELECT cbrt(27)', rows: [['3.0']], types: ['double'] },
  { family: 'math and decimals', source: math, query: 'SELECT pow(2, 3), mod(17, 5), mod(-17, 5)', rows: [['8.0', '2', '-2']], types: ['double', 'int', 'int'] },
  { family: 'math and decimals', source: math, query: 'SELECT is_finite(1e0), is_nan(1e0)', rows: [['true', 'false']], types: ['boolean', 'boolean'] },
  { family: 'dates and times', source: datetime, query: `SELECT year(${moment}), month(${moment}), day(${moment}), quarter(${moment})`, rows: [['2022', '10', '20', '4']], types: ['bigint', 'bigint', 'bigint', 'bigint'] },
  { family: 'dates and times', source: datetime, query: `SELECT hour(${moment}), minute(${moment}), second(${moment})`, rows: [['5', '10', '7']], types: ['bigint', 'bigint', 'bigint'] },
  // 2022-10-20 is a Thursday: ISO day 4; and day 273 + 20 of the year.
  { family: 'dates and times', source: datetime, query: "SELECT day_of_week(DATE '2022-10-20'), day_of_year(DATE '2022-10-20')", rows: [['4', '293']], types: ['bigint', 'bigint'] },
  { family: 'strings', source: string, query: "SELECT ltrim('  a '), rtrim(' a  '), reverse('abc')", rows: [['a ', ' a', 'cba']], types: ['string', 'string', 'string'] },
  // replace(string, search): "Removes all instances of search from string."
  { family: 'strings', source: string, query: "SELECT replace('abcabc', 'b'), replace('abcabc', 'b', 'x')", rows: [['acac', 'axcaxc']], types: ['string', 'string'] },
  // lpad/rpad: "If size is less than the length of string, the result is truncated to size characters."
  { family: 'strings', source: string, query: "SELECT lpad('7', 3, '0'), rpad('ab', 4, 'x'), lpad('hello', 3, '0')", rows: [['007', 'abxx', 'hel']], types: ['string', 'string', 'string'] },
  { family: 'strings', source: string, query: "SELECT starts_with('abc', 'ab'), chr(65)", rows: [['true', 'A']], types: ['boolean', 'string'] },
  // concat_ws: "Any null values provided in the arguments after the separator are skipped."
  { family: 'strings', source: string, query: "SELECT concat_ws(',', 'a', NULL, 'b'), concat('a', 'b', 'c')", rows: [['a,b', 'abc']], types: ['string', 'string'] },
  { family: 'JSON', source: json, query: "SELECT json_extract_scalar('[1, 2, 3]', '$[2]')", rows: [['3']], types: ['string'] },
  { family: 'arrays and maps', source: array, query: 'SELECT contains(ARRAY[1, 2, 3], 2), array_max(ARRAY[1, 3, 2]), array_min(ARRAY[1, 3, 2])', rows: [['true', '3', '1']], types: ['boolean', 'int', 'int'] },
  // array_join: "Null elements are omitted in the result."
  { family: 'arrays and maps', source: array, query: "SELECT array_join(ARRAY['a', NULL, 'b'], ',')", rows: [['a,b']], types: ['string'] },
  { family: 'arrays and maps', source: array, query: 'SELECT flatten(ARRAY[ARRAY[1, 2], ARRAY[3]])', rows: [[['1', '2', '3']]], types: ['array<int>'] },
  // slice(x, start, length), "starting from the end if start is negative".
  { family: 'arrays and maps', source: array, query: 'SELECT slice(ARRAY[1, 2, 3, 4], 2, 2), slice(ARRAY[1, 2, 3, 4], -2, 2)', rows: [[['2', '3'], ['3', '4']]], types: ['array<int>', 'array<int>'] },
  { family: 'arrays and maps', source: map, query: "SELECT map_keys(MAP(ARRAY['a'], ARRAY[1])), map_values(MAP(ARRAY['a'], ARRAY[1]))", rows: [[['a'], ['1']]], types: ['array<string>', 'array<int>'] },
  { family: 'aggregates', source: aggregate, query: 'SELECT every(x > 0), arbitrary(x), any_value(x) FROM (VALUES 5) AS t(x)', rows: [['true', '5', '5']], types: ['boolean', 'int', 'int'] },
  { family: 'aggregates', source: aggregate, query: 'SELECT stddev(x), stddev_samp(x), stddev_pop(x) FROM (VALUES 1, 3) AS t(x)', rows: [['1.4142135623730951', '1.4142135623730951', '1.0']], types: ['double', 'double', 'double'] },
  { family: 'aggregates', source: aggregate, query: 'SELECT variance(x), var_samp(x), var_pop(x) FROM (VALUES 1, 3) AS t(x)', rows: [['2.0', '2.0', '1.0']], types: ['double', 'double', 'double'] },
  // cume_dist: rows preceding or peer with the row, divided by the rows in the partition.
  { family: 'window functions', source: window, query: `SELECT name, cume_dist() OVER (ORDER BY score) FROM ${scores} ORDER BY name`, rows: [['a', '0.25'], ['b', '0.75'], ['c', '0.75'], ['d', '1.0']], types: ['string', 'double'], ordered: true },
  { family: 'window functions', source: window, query: `SELECT name, last_value(name) OVER (ORDER BY score) FROM ${scores} ORDER BY name`, rows: [['a', 'a'], ['b', 'c'], ['c', 'c'], ['d', 'd']], types: ['string', 'string'], ordered: true },
  { family: 'conditionals, casts and errors', source: comparison, query: 'SELECT 1 <> 2, 1 <= 2, 2 >= 3, 2 IN (1, 2), NULL IS NOT DISTINCT FROM NULL', rows: [['true', 'true', 'false', 'true', 'true']], types: ['boolean', 'boolean', 'boolean', 'boolean', 'boolean'] },
  { family: 'conditionals, casts and errors', source: logical, query: 'SELECT true AND false, true OR false, NOT true, NULL AND false', rows: [['false', 'true', 'false', 'false']], types: ['boolean', 'boolean', 'boolean', 'boolean'] },
  { family: 'conditionals, casts and errors', source: trinoDocs('functions/comparison'), query: 'SELECT EXISTS (SELECT 1), 3 > ALL (SELECT 1)', rows: [['true', 'true']], types: ['boolean', 'boolean'] },
];
