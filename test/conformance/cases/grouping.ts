import { ConformanceCase, trinoDocs } from '../conformance-case';

const source = trinoDocs('sql/select');
const family = 'grouping sets';
const shipping = `WITH shipping (origin_state, origin_zip, destination_state, destination_zip, package_weight) AS (VALUES
  ('California', 94131, 'New Jersey', 8648, 13),
  ('California', 94131, 'New Jersey', 8540, 42),
  ('New Jersey', 7081, 'Connecticut', 6708, 225),
  ('California', 90210, 'Connecticut', 6927, 1337),
  ('California', 94131, 'Colorado', 80302, 5),
  ('New York', 10002, 'New Jersey', 8540, 3))`;

export const GROUPING_CASES: ConformanceCase[] = [
  {
    query: `${shipping} SELECT origin_state, origin_zip, destination_state, sum(package_weight) FROM shipping GROUP BY GROUPING SETS ((origin_state), (origin_state, origin_zip), (destination_state))`,
    rows: [
      ['New Jersey', null, null, '225'], ['California', null, null, '1397'], ['New York', null, null, '3'],
      ['California', '90210', null, '1337'], ['California', '94131', null, '60'], ['New Jersey', '7081', null, '225'], ['New York', '10002', null, '3'],
      [null, null, 'Colorado', '5'], [null, null, 'New Jersey', '58'], [null, null, 'Connecticut', '1562'],
    ],
    types: ['string', 'int', 'string', 'bigint'],
  },
  {
    query: `${shipping} SELECT origin_state, destination_state, sum(package_weight) FROM shipping GROUP BY CUBE (origin_state, destination_state)`,
    rows: [
      ['California', 'New Jersey', '55'], ['California', 'Colorado', '5'], ['New York', 'New Jersey', '3'], ['New Jersey', 'Connecticut', '225'],
      ['California', 'Connecticut', '1337'], ['California', null, '1397'], ['New York', null, '3'], ['New Jersey', null, '225'],
      [null, 'New Jersey', '58'], [null, 'Connecticut', '1562'], [null, 'Colorado', '5'], [null, null, '1625'],
    ],
    types: ['string', 'string', 'bigint'],
  },
  {
    query: `${shipping} SELECT origin_state, origin_zip, sum(package_weight) FROM shipping GROUP BY ROLLUP (origin_state, origin_zip)`,
    rows: [
      ['California', '94131', '60'], ['California', '90210', '1337'], ['New Jersey', '7081', '225'], ['New York', '10002', '3'],
      ['California', null, '1397'], ['New York', null, '3'], ['New Jersey', null, '225'], [null, null, '1625'],
    ],
    types: ['string', 'int', 'bigint'],
  },
  {
    query: `${shipping} SELECT origin_state, destination_state, origin_zip, sum(package_weight) FROM shipping GROUP BY GROUPING SETS ((origin_state, destination_state)), ROLLUP (origin_zip)`,
    rows: [
      ['New York', 'New Jersey', '10002', '3'], ['California', 'New Jersey', '94131', '55'], ['New Jersey', 'Connecticut', '7081', '225'],
      ['California', 'Connecticut', '90210', '1337'], ['California', 'Colorado', '94131', '5'], ['New York', 'New Jersey', null, '3'],
      ['New Jersey', 'Connecticut', null, '225'], ['California', 'Colorado', null, '5'], ['California', 'Connecticut', null, '1337'],
      ['California', 'New Jersey', null, '55'],
    ],
    types: ['string', 'string', 'int', 'bigint'],
  },
  {
    query: `${shipping} SELECT origin_state, origin_zip, destination_state, sum(package_weight), grouping(origin_state, origin_zip, destination_state) FROM shipping GROUP BY GROUPING SETS ((origin_state), (origin_state, origin_zip), (destination_state))`,
    rows: [
      ['California', null, null, '1397', '3'], ['New Jersey', null, null, '225', '3'], ['New York', null, null, '3', '3'],
      ['California', '94131', null, '60', '1'], ['New Jersey', '7081', null, '225', '1'], ['California', '90210', null, '1337', '1'],
      ['New York', '10002', null, '3', '1'], [null, null, 'New Jersey', '58', '6'], [null, null, 'Connecticut', '1562', '6'],
      [null, null, 'Colorado', '5', '6'],
    ],
    types: ['string', 'int', 'string', 'bigint', 'bigint'],
  },
].map((c) => ({ ...c, family, source }));
