import { ConformanceCase, trinoDocs } from '../conformance-case';

const decimal = trinoDocs('functions/decimal');
const math = trinoDocs('functions/math');
const family = 'math and decimals';

export const DECIMAL_MATH_CASES: ConformanceCase[] = [
  // "The precision of a decimal type for a literal will be equal to the number of digits in the literal."
  { source: decimal, query: "SELECT DECIMAL '0'", rows: [['0']], types: ['decimal(1,0)'] },
  { source: decimal, query: "SELECT DECIMAL '12345'", rows: [['12345']], types: ['decimal(5,0)'] },
  { source: decimal, query: "SELECT DECIMAL '0000012345.1234500000'", rows: [['12345.1234500000']], types: ['decimal(20,10)'] },
  // x + y: precision min(38, 1 + max(xs, ys) + max(xp - xs, yp - ys)), scale max(xs, ys).
  { source: decimal, query: "SELECT DECIMAL '1.5' + DECIMAL '10.25'", rows: [['11.75']], types: ['decimal(5,2)'] },
  { source: decimal, query: "SELECT DECIMAL '1.5' - DECIMAL '10.25'", rows: [['-8.75']], types: ['decimal(5,2)'] },
  // x * y: precision min(38, xp + yp), scale xs + ys.
  { source: decimal, query: "SELECT DECIMAL '1.5' * DECIMAL '10.25'", rows: [['15.375']], types: ['decimal(6,3)'] },
  // x / y: scale max(xs, ys); the result is rounded (precision as DecimalOperators computes it).
  { source: decimal, query: "SELECT DECIMAL '10.00' / DECIMAL '3.0'", rows: [['3.33']], types: ['decimal(5,2)'] },
  { source: decimal, query: "SELECT DECIMAL '2.00' / DECIMAL '3.0'", rows: [['0.67']], types: ['decimal(4,2)'] },
  // x % y: scale max(xs, ys).
  { source: decimal, query: "SELECT DECIMAL '10.5' % DECIMAL '3'", rows: [['1.5']], types: ['decimal(2,1)'] },
  // "Division (integer division performs truncation)"
  { source: math, query: 'SELECT 17 / 5', rows: [['3']], types: ['int'] },
  { source: math, query: 'SELECT -17 / 5', rows: [['-3']], types: ['int'] },
  { source: math, query: 'SELECT 17 % 5', rows: [['2']], types: ['int'] },
  { source: math, query: 'SELECT abs(-5)', rows: [['5']], types: ['int'] },
  { source: math, query: 'SELECT abs(DECIMAL \'-1.50\')', rows: [['1.50']], types: ['decimal(3,2)'] },
  { source: math, query: 'SELECT sqrt(16)', rows: [['4.0']], types: ['double'] },
  { source: math, query: 'SELECT power(2, 10)', rows: [['1024.0']], types: ['double'] },
  { source: math, query: 'SELECT pi()', rows: [['3.141592653589793']], types: ['double'] },
  { source: math, query: 'SELECT ln(1)', rows: [['0.0']], types: ['double'] },
  { source: math, query: 'SELECT log10(1000)', rows: [['3.0']], types: ['double'] },
  { source: math, query: 'SELECT log2(8)', rows: [['3.0']], types: ['double'] },
  { source: math, query: 'SELECT sign(-3)', rows: [['-1']], types: ['int'] },
  { source: math, query: 'SELECT degrees(pi())', rows: [['180.0']], types: ['double'] },
  { source: math, query: 'SELECT is_nan(nan())', rows: [['true']], types: ['boolean'] },
  { source: math, query: 'SELECT is_infinite(infinity())', rows: [['true']], types: ['boolean'] },
  { source: math, query: 'SELECT from_base(\'ff\', 16)', rows: [['255']], types: ['bigint'] },
  { source: math, query: 'SELECT to_base(255, 16)', rows: [['ff']], types: ['string'] },
].map((c) => ({ ...c, family }));
