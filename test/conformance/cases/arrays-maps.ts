import { ConformanceCase, trinoDocs } from '../conformance-case';

const arrays = trinoDocs('functions/array');
const maps = trinoDocs('functions/map');
const family = 'arrays and maps';

export const ARRAY_MAP_CASES: ConformanceCase[] = [
  { source: arrays, query: 'SELECT ARRAY[1, 2, 4]', rows: [[['1', '2', '4']]], types: ['array<int>'] },
  { source: arrays, query: "SELECT ARRAY['foo', 'bar', 'bazz']", rows: [[['foo', 'bar', 'bazz']]], types: ['array<string>'] },
  // "The following example uses integer and decimal values and the resulting array contains decimals":
  // an integer is decimal(10,0) to Trino's type coercion, so the common type is decimal(11,1).
  { source: arrays, query: 'SELECT ARRAY[1, 1.2, 4]', rows: [[['1.0', '1.2', '4.0']]], types: ['array<decimal(11,1)>'] },
  { source: arrays, query: 'SELECT ARRAY[1, 2, NULL, -4, NULL]', rows: [[['1', '2', null, '-4', null]]], types: ['array<int>'] },
  { source: arrays, query: 'SELECT ARRAY[1, 1.2, 4][2]', rows: [['1.2']], types: ['decimal(11,1)'] },
  { source: arrays, query: 'SELECT ARRAY[1] || ARRAY[2]', rows: [[['1', '2']]], types: ['array<int>'] },
  { source: arrays, query: 'SELECT ARRAY[1] || 2', rows: [[['1', '2']]], types: ['array<int>'] },
  { source: arrays, query: 'SELECT 2 || ARRAY[1]', rows: [[['2', '1']]], types: ['array<int>'] },
  { source: arrays, query: 'SELECT filter(ARRAY[5, -6, NULL, 7], x -> x > 0)', rows: [[['5', '7']]], types: ['array<int>'] },
  { source: arrays, query: 'SELECT filter(ARRAY[5, NULL, 7, NULL], x -> x IS NOT NULL)', rows: [[['5', '7']]], types: ['array<int>'] },
  { source: arrays, query: 'SELECT trim_array(ARRAY[1, 2, 3, 4], 1)', rows: [[['1', '2', '3']]], types: ['array<int>'] },
  { source: arrays, query: 'SELECT trim_array(ARRAY[1, 2, 3, 4], 2)', rows: [[['1', '2']]], types: ['array<int>'] },
  { source: arrays, query: 'SELECT transform(ARRAY[5, 6], x -> x + 1)', rows: [[['6', '7']]], types: ['array<int>'] },
  { source: arrays, query: 'SELECT transform(ARRAY[5, NULL, 6], x -> coalesce(x, 0) + 1)', rows: [[['6', '1', '7']]], types: ['array<int>'] },
  { source: arrays, query: "SELECT transform(ARRAY['x', 'abc', 'z'], x -> x || '0')", rows: [[['x0', 'abc0', 'z0']]], types: ['array<string>'] },
  { source: arrays, query: 'SELECT reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s)', rows: [['75']], types: ['int'] },
  { source: arrays, query: 'SELECT reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + x, s -> s)', rows: [[null]], types: ['int'] },
  { source: arrays, query: 'SELECT reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + coalesce(x, 0), s -> s)', rows: [['75']], types: ['int'] },
  { source: arrays, query: 'SELECT array_sort(ARRAY[3, 2, 5, 1, 2], (x, y) -> IF(x < y, 1, IF(x = y, 0, -1)))', rows: [[['5', '3', '2', '2', '1']]], types: ['array<int>'] },
  // "Null elements will be placed at the end of the returned array."
  { source: arrays, query: 'SELECT array_sort(ARRAY[3, NULL, 1, 2])', rows: [[['1', '2', '3', null]]], types: ['array<int>'] },
  // "Returns the position of the first occurrence of the element in array x (or 0 if not found)."
  { source: arrays, query: 'SELECT array_position(ARRAY[10, 20, 30], 40)', rows: [['0']], types: ['bigint'] },
  { source: arrays, query: 'SELECT cardinality(ARRAY[10, 20, 30])', rows: [['3']], types: ['bigint'] },
  // element_at: NULL past the end; a negative index counts from the last element.
  { source: arrays, query: 'SELECT element_at(ARRAY[10, 20, 30], 5)', rows: [[null]], types: ['int'] },
  { source: arrays, query: 'SELECT element_at(ARRAY[10, 20, 30], -1)', rows: [['30']], types: ['int'] },
  { source: maps, query: "SELECT MAP(ARRAY['key1', 'key2', 'key3' ], ARRAY[2373, 3463, 45837])", rows: [[{ map: [['key1', '2373'], ['key2', '3463'], ['key3', '45837']] }]], types: ['map<string,int>'] },
  { source: maps, query: "SELECT MAP(ARRAY['key1', 'key2', 'key3' ], ARRAY['v1', 'v2', 'v3'])", rows: [[{ map: [['key1', 'v1'], ['key2', 'v2'], ['key3', 'v3']] }]], types: ['map<string,string>'] },
  { source: maps, query: "SELECT MAP(ARRAY['key1', 'key2', 'key3' ], ARRAY[23, 34.63, 45.837])", rows: [[{ map: [['key1', '23.000'], ['key2', '34.630'], ['key3', '45.837']] }]], types: ['map<string,decimal(13,3)>'] },
  { source: maps, query: "SELECT MAP(ARRAY['key1', 'key2', 'key3' ], ARRAY['v1', NULL, 'v3'])", rows: [[{ map: [['key1', 'v1'], ['key2', null], ['key3', 'v3']] }]], types: ['map<string,string>'] },
  { source: maps, query: "SELECT MAP(ARRAY['key1', 'key2', 'key3' ], ARRAY['v1', 'v2', 'v3'])['key2']", rows: [['v2']], types: ['string'] },
  { source: maps, query: 'SELECT map(ARRAY[1,3], ARRAY[2,4])', rows: [[{ map: [['1', '2'], ['3', '4']] }]], types: ['map<int,int>'] },
  { source: maps, query: "SELECT map_from_entries(ARRAY[(1, 'x'), (2, 'y')])", rows: [[{ map: [['1', 'x'], ['2', 'y']] }]], types: ['map<int,string>'] },
  { source: maps, query: "SELECT element_at(MAP(ARRAY['a'], ARRAY[1]), 'b')", rows: [[null]], types: ['int'] },
  { source: maps, query: "SELECT cardinality(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", rows: [['2']], types: ['bigint'] },
  { source: maps, query: "SELECT map_filter(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[20, 3, 15]), (k, v) -> v > 10)", rows: [[{ map: [['k1', '20'], ['k3', '15']] }]], types: ['map<string,int>'] },
  { source: maps, query: 'SELECT transform_values(MAP(ARRAY [1, 2, 3], ARRAY [10, 20, 30]), (k, v) -> v + k)', rows: [[{ map: [['1', '11'], ['2', '22'], ['3', '33']] }]], types: ['map<int,int>'] },
].map((c) => ({ ...c, family }));
