import { ConformanceCase, trinoDocs } from '../conformance-case';

const source = trinoDocs('functions/json');
const family = 'JSON';

export const JSON_CASES: ConformanceCase[] = [
  { query: "SELECT is_json_scalar('1')", rows: [['true']], types: ['boolean'] },
  { query: "SELECT is_json_scalar('[1, 2, 3]')", rows: [['false']], types: ['boolean'] },
  { query: "SELECT json_array_contains('[1, 2, 3]', 2)", rows: [['true']], types: ['boolean'] },
  { query: "SELECT json_array_length('[1, 2, 3]')", rows: [['3']], types: ['bigint'] },
  { query: "SELECT json_format(JSON '[1, 2, 3]')", rows: [['[1,2,3]']], types: ['string'] },
  { query: "SELECT json_format(JSON '\"a\"')", rows: [['"a"']], types: ['string'] },
  { query: "SELECT json_format(JSON '{\"a\": 1, \"b\": 2}')", rows: [['{"a":1,"b":2}']], types: ['string'] },
  { query: "SELECT json_format(JSON '42')", rows: [['42']], types: ['string'] },
  { query: "SELECT json_format(JSON 'true')", rows: [['true']], types: ['string'] },
  { query: "SELECT json_format(JSON 'null')", rows: [['null']], types: ['string'] },
  { query: "SELECT CAST(JSON '\"abc\"' AS VARCHAR)", rows: [['abc']], types: ['string'] },
  { query: "SELECT CAST(JSON '42' AS VARCHAR)", rows: [['42']], types: ['string'] },
  { query: "SELECT CAST(JSON 'true' AS VARCHAR)", rows: [['true']], types: ['string'] },
  { query: "SELECT CAST(JSON 'null' AS VARCHAR)", rows: [[null]], types: ['string'] },
  { query: "SELECT CAST(JSON '1' AS INTEGER)", rows: [['1']], types: ['int'] },
  { query: "SELECT CAST(JSON '9223372036854775807' AS BIGINT)", rows: [['9223372036854775807']], types: ['bigint'] },
  { query: "SELECT CAST(JSON 'true' AS BOOLEAN)", rows: [['true']], types: ['boolean'] },
  { query: "SELECT CAST(JSON '1.234' AS DOUBLE)", rows: [['1.234']], types: ['double'] },
  { query: "SELECT CAST(JSON '[1,23,456]' AS ARRAY(INTEGER))", rows: [[['1', '23', '456']]], types: ['array<int>'] },
  { query: "SELECT CAST(JSON '[1,null,456]' AS ARRAY(INTEGER))", rows: [[['1', null, '456']]], types: ['array<int>'] },
  { query: "SELECT CAST(JSON '{\"k1\":1,\"k2\":23,\"k3\":456}' AS MAP(VARCHAR, INTEGER))", rows: [[{ map: [['k1', '1'], ['k2', '23'], ['k3', '456']] }]], types: ['map<string,int>'] },
  { query: 'SELECT json_format(CAST(1 AS JSON))', rows: [['1']], types: ['string'] },
  { query: "SELECT json_format(CAST('abc' AS JSON))", rows: [['"abc"']], types: ['string'] },
  { query: 'SELECT json_format(CAST(ARRAY[1, 23, 456] AS JSON))', rows: [['[1,23,456]']], types: ['string'] },
  { query: 'SELECT json_format(CAST(ARRAY[1, NULL, 456] AS JSON))', rows: [['[1,null,456]']], types: ['string'] },
].map((c) => ({ ...c, family, source }));
