import { ConformanceCase, trinoDocs } from '../conformance-case';

const source = trinoDocs('sql/select');
const family = 'ordering, set operations and UNNEST';
const values = '(VALUES 2, NULL, 1) AS t(x)';

export const ORDERING_CASES: ConformanceCase[] = [
  // "The default null ordering is NULLS LAST, regardless of the ordering direction."
  { query: `SELECT x FROM ${values} ORDER BY x`, rows: [['1'], ['2'], [null]], types: ['int'] },
  { query: `SELECT x FROM ${values} ORDER BY x DESC`, rows: [['2'], ['1'], [null]], types: ['int'] },
  { query: `SELECT x FROM ${values} ORDER BY x NULLS FIRST`, rows: [[null], ['1'], ['2']], types: ['int'] },
  { query: `SELECT x FROM ${values} ORDER BY x DESC NULLS FIRST`, rows: [[null], ['2'], ['1']], types: ['int'] },
  { query: 'SELECT * FROM (VALUES 5, 2, 4, 1, 3) t(x) ORDER BY x OFFSET 2 LIMIT 2', rows: [['3'], ['4']], types: ['int'] },
  { query: 'SELECT 13 UNION SELECT 42', rows: [['13'], ['42']], types: ['int'], ordered: false },
  { query: 'SELECT 13 UNION SELECT * FROM (VALUES 42, 13)', rows: [['13'], ['42']], types: ['int'], ordered: false },
  { query: 'SELECT 13 UNION ALL SELECT * FROM (VALUES 42, 13)', rows: [['13'], ['42'], ['13']], types: ['int'], ordered: false },
  { query: 'SELECT * FROM (VALUES 13, 42) INTERSECT SELECT 13', rows: [['13']], types: ['int'], ordered: false },
  { query: 'SELECT * FROM (VALUES 13, 42) EXCEPT SELECT 13', rows: [['42']], types: ['int'], ordered: false },
  { query: 'SELECT * FROM UNNEST(ARRAY[1,2]) AS t(number)', rows: [['1'], ['2']], types: ['int'], ordered: false },
  {
    query: "SELECT * FROM UNNEST(map_from_entries(ARRAY[('SQL',1974), ('Java', 1995)])) AS t(language, first_appeared_year)",
    rows: [['SQL', '1974'], ['Java', '1995']],
    types: ['string', 'int'],
  },
  { query: 'SELECT a, b, rownumber FROM UNNEST (ARRAY[2, 5], ARRAY[7, 8, 9]) WITH ORDINALITY AS t(a, b, rownumber)', rows: [['2', '7', '1'], ['5', '8', '2'], [null, '9', '3']], types: ['int', 'int', 'bigint'] },
  {
    query: "SELECT student, score FROM (VALUES ('John', ARRAY[7, 10, 9]), ('Mary', ARRAY[4, 8, 9])) AS tests (student, scores) CROSS JOIN UNNEST(scores) AS t(score)",
    rows: [['John', '7'], ['John', '10'], ['John', '9'], ['Mary', '4'], ['Mary', '8'], ['Mary', '9']],
    types: ['string', 'int'],
  },
  {
    query: "SELECT numbers, animals, n, a FROM (VALUES (ARRAY[2, 5], ARRAY['dog', 'cat', 'bird']), (ARRAY[7, 8, 9], ARRAY['cow', 'pig'])) AS x (numbers, animals) CROSS JOIN UNNEST(numbers, animals) AS t (n, a)",
    rows: [
      [['2', '5'], ['dog', 'cat', 'bird'], '2', 'dog'], [['2', '5'], ['dog', 'cat', 'bird'], '5', 'cat'], [['2', '5'], ['dog', 'cat', 'bird'], null, 'bird'],
      [['7', '8', '9'], ['cow', 'pig'], '7', 'cow'], [['7', '8', '9'], ['cow', 'pig'], '8', 'pig'], [['7', '8', '9'], ['cow', 'pig'], '9', null],
    ],
    types: ['array<int>', 'array<string>', 'int', 'string'],
  },
  {
    query: "SELECT runner, checkpoint FROM (VALUES ('Joe', ARRAY[10, 20, 30, 42]), ('Roger', ARRAY[10]), ('Dave', ARRAY[]), ('Levi', NULL)) AS marathon (runner, checkpoints) LEFT JOIN UNNEST(checkpoints) AS t(checkpoint) ON TRUE",
    rows: [['Joe', '10'], ['Joe', '20'], ['Joe', '30'], ['Joe', '42'], ['Roger', '10'], ['Dave', null], ['Levi', null]],
    types: ['string', 'int'],
  },
].map((c) => ({ ordered: /ORDER BY/.test(c.query), ...c, family, source }));
