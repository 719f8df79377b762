import { ConformanceCase, trinoDocs } from '../conformance-case';

const conditional = trinoDocs('functions/conditional');
const conversion = trinoDocs('functions/conversion');
const comparison = trinoDocs('functions/comparison');
const family = 'conditionals, casts and errors';
const shipping = `WITH shipping (origin_state, origin_zip, packages, total_cost) AS (VALUES
  ('California', '94131', 25, 100),
  ('California', 'P332a', 5, 72),
  ('California', '94025', 0, 155),
  ('New Jersey', '08544', 225, 490))`;

export const CONDITIONAL_CAST_CASES: ConformanceCase[] = [
  { source: conditional, query: `${shipping} SELECT CAST(origin_zip AS BIGINT) FROM shipping`, rows: [], types: ['bigint'], error: "Cannot cast 'P332a' to BIGINT" },
  { source: conditional, query: `${shipping} SELECT total_cost / packages AS per_package FROM shipping`, rows: [], types: ['int'], error: 'Division by zero' },
  { source: conditional, query: `${shipping} SELECT COALESCE(TRY(total_cost / packages), 0) AS per_package FROM shipping WHERE origin_state = 'California'`, rows: [['4'], ['14'], ['0']], types: ['int'] },
  { source: conditional, query: `${shipping} SELECT TRY(CAST(origin_zip AS BIGINT)) FROM shipping WHERE origin_state = 'California'`, rows: [['94131'], [null], ['94025']], types: ['bigint'] },
  { source: conditional, query: 'SELECT if(1 > 2, 1)', rows: [[null]], types: ['int'] },
  { source: conditional, query: "SELECT if(1 < 2, 'yes', 'no')", rows: [['yes']], types: ['string'] },
  { source: conditional, query: 'SELECT nullif(1, 1), nullif(1, 2)', rows: [[null, '1']], types: ['int', 'int'] },
  { source: conditional, query: 'SELECT coalesce(NULL, 2, 3)', rows: [['2']], types: ['int'] },
  { source: conditional, query: "SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", rows: [['two']], types: ['string'] },
  { source: conditional, query: "SELECT CASE WHEN 1 = 2 THEN 'aaa' WHEN 2 = 2 THEN 'bbb' ELSE 'ccc' END", rows: [['bbb']], types: ['string'] },
  // "Trino will not convert between character and numeric types."
  { source: conversion, query: "SELECT 'a' || 1", rows: [], types: ['string'], error: 'varchar' },
  { source: conversion, query: "SELECT '1' + 1", rows: [], types: ['int'], error: 'Cannot apply operator' },
  { source: conversion, query: "SELECT CAST('12' AS integer) + 1", rows: [['13']], types: ['int'] },
  { source: conversion, query: 'SELECT CAST(12 AS varchar)', rows: [['12']], types: ['string'] },
  // try_cast: "Like cast, but returns null if the cast fails."
  { source: conversion, query: "SELECT try_cast('abc' AS integer)", rows: [[null]], types: ['int'] },
  { source: conversion, query: "SELECT CAST('1.5' AS integer)", rows: [], types: ['int'], error: "Cannot cast '1.5' to INT" },
  { source: conversion, query: "SELECT format('%s%%', 123)", rows: [['123%']], types: ['string'] },
  { source: conversion, query: "SELECT format('%03d', 8)", rows: [['008']], types: ['string'] },
  { source: comparison, query: 'SELECT 3 BETWEEN 2 AND 6, 3 NOT BETWEEN 2 AND 6', rows: [['true', 'false']], types: ['boolean', 'boolean'] },
  { source: comparison, query: 'SELECT NULL IS DISTINCT FROM NULL, 1 IS DISTINCT FROM NULL', rows: [['false', 'true']], types: ['boolean', 'boolean'] },
  { source: comparison, query: 'SELECT greatest(1, 5, 3), least(1, 5, 3)', rows: [['5', '1']], types: ['int', 'int'] },
  { source: comparison, query: "SELECT 'abc' LIKE 'a%', 'abc' LIKE '_b_'", rows: [['true', 'true']], types: ['boolean', 'boolean'] },
].map((c) => ({ ...c, family }));
