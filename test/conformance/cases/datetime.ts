import { ConformanceCase, trinoDocs } from '../conformance-case';

const source = trinoDocs('functions/datetime');
const family = 'dates and times';
const truncated = (unit: string, value: string): Omit<ConformanceCase, 'family' | 'source'> =>
  ({ query: `SELECT date_trunc('${unit}', TIMESTAMP '2001-08-22 03:04:05.321')`, rows: [[value]], types: ['timestamp'] });

export const DATETIME_CASES: ConformanceCase[] = [
  { query: "SELECT date '2012-08-08' + interval '2' day", rows: [['2012-08-10']], types: ['date'] },
  { query: "SELECT timestamp '2012-08-08 01:00' + interval '29' hour", rows: [['2012-08-09 06:00:00.000']], types: ['timestamp'] },
  { query: "SELECT timestamp '2012-10-31 01:00' + interval '1' month", rows: [['2012-11-30 01:00:00.000']], types: ['timestamp'] },
  { query: "SELECT date '2012-08-08' - interval '2' day", rows: [['2012-08-06']], types: ['date'] },
  { query: "SELECT timestamp '2012-08-08 01:00' - interval '29' hour", rows: [['2012-08-06 20:00:00.000']], types: ['timestamp'] },
  { query: "SELECT timestamp '2012-10-31 01:00' - interval '1' month", rows: [['2012-09-30 01:00:00.000']], types: ['timestamp'] },
  { query: "SELECT date_trunc('day' , TIMESTAMP '2022-10-20 05:10:00')", rows: [['2022-10-20 00:00:00.000']], types: ['timestamp'] },
  { query: "SELECT date_trunc('month' , TIMESTAMP '2022-10-20 05:10:00')", rows: [['2022-10-01 00:00:00.000']], types: ['timestamp'] },
  { query: "SELECT date_trunc('year', TIMESTAMP '2022-10-20 05:10:00')", rows: [['2022-01-01 00:00:00.000']], types: ['timestamp'] },
  truncated('millisecond', '2001-08-22 03:04:05.321'),
  truncated('second', '2001-08-22 03:04:05.000'),
  truncated('minute', '2001-08-22 03:04:00.000'),
  truncated('hour', '2001-08-22 03:00:00.000'),
  truncated('day', '2001-08-22 00:00:00.000'),
  truncated('week', '2001-08-20 00:00:00.000'),
  truncated('month', '2001-08-01 00:00:00.000'),
  truncated('quarter', '2001-07-01 00:00:00.000'),
  truncated('year', '2001-01-01 00:00:00.000'),
  // date_trunc(unit, x) -> [same as input]: on a date, a date.
  { query: "SELECT date_trunc('month', DATE '2022-10-20')", rows: [['2022-10-01']], types: ['date'] },
  { query: "SELECT date_add('second', 86, TIMESTAMP '2020-03-01 00:00:00')", rows: [['2020-03-01 00:01:26.000']], types: ['timestamp'] },
  { query: "SELECT date_add('hour', 9, TIMESTAMP '2020-03-01 00:00:00')", rows: [['2020-03-01 09:00:00.000']], types: ['timestamp'] },
  { query: "SELECT date_diff('second', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00')", rows: [['86400']], types: ['bigint'] },
  { query: "SELECT date_diff('day', DATE '2020-03-01', DATE '2020-03-02')", rows: [['1']], types: ['bigint'] },
  { query: "SELECT date_diff('second', TIMESTAMP '2020-06-01 12:30:45.000000000', TIMESTAMP '2020-06-02 12:30:45.123456789')", rows: [['86400']], types: ['bigint'] },
  { query: "SELECT date_diff('millisecond', TIMESTAMP '2020-06-01 12:30:45.000000000', TIMESTAMP '2020-06-02 12:30:45.123456789')", rows: [['86400123']], types: ['bigint'] },
  { query: "SELECT date_format(TIMESTAMP '2022-10-20 05:10:00', '%m-%d-%Y %H')", rows: [['10-20-2022 05']], types: ['string'] },
  { query: "SELECT date_parse('2022/10/20/05', '%Y/%m/%d/%H')", rows: [['2022-10-20 05:00:00.000']], types: ['timestamp'] },
  { query: "SELECT extract(YEAR FROM TIMESTAMP '2022-10-20 05:10:00')", rows: [['2022']], types: ['bigint'] },
  { query: "SELECT from_iso8601_date('2020-05-11')", rows: [['2020-05-11']], types: ['date'] },
  { query: "SELECT from_iso8601_date('2020-W10')", rows: [['2020-03-02']], types: ['date'] },
  { query: "SELECT from_iso8601_date('2020-123')", rows: [['2020-05-02']], types: ['date'] },
  { query: 'SELECT human_readable_seconds(96)', rows: [['1 minute, 36 seconds']], types: ['string'] },
  { query: 'SELECT human_readable_seconds(3762)', rows: [['1 hour, 2 minutes, 42 seconds']], types: ['string'] },
].map((c) => ({ ...c, family, source }));
