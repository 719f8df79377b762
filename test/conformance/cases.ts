import { AGGREGATE_CASES } from './cases/aggregates';
import { ARRAY_MAP_CASES } from './cases/arrays-maps';
import { COMMON_FUNCTION_CASES } from './cases/common-functions';
import { CONDITIONAL_CAST_CASES } from './cases/conditional-casts';
import { DATETIME_CASES } from './cases/datetime';
import { DECIMAL_MATH_CASES } from './cases/decimal-math';
import { GROUPING_CASES } from './cases/grouping';
import { JSON_CASES } from './cases/json';
import { ORDERING_CASES } from './cases/ordering';
import { REGEXP_CASES } from './cases/regexp';
import { STRING_CASES } from './cases/strings';
import { WINDOW_CASES } from './cases/windows';
import { ConformanceCase } from './conformance-case';

/** Every conformance case, by family. */
export const CONFORMANCE_CASES: ConformanceCase[] = [
  ...DECIMAL_MATH_CASES,
  ...DATETIME_CASES,
  ...STRING_CASES,
  ...REGEXP_CASES,
  ...JSON_CASES,
  ...ARRAY_MAP_CASES,
  ...AGGREGATE_CASES,
  ...WINDOW_CASES,
  ...GROUPING_CASES,
  ...ORDERING_CASES,
  ...CONDITIONAL_CAST_CASES,
  ...COMMON_FUNCTION_CASES,
];
