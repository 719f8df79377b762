import { Cell } from './conformance-case';

/**
 * Whether a value as the local runner's GetQueryResults gives it (text; arrays and maps as
 * JSON) is the documented one. Numbers compare by value (their types are checked through the
 * CTAS), timestamps without trailing zero fractions, maps without regard to order.
 */
export function sameCell(expected: Cell, actual: string | undefined): boolean {
  if (expected === null) return actual === undefined;
  if (actual === undefined) return false;
  if (typeof expected === 'string') return sameScalar(expected, actual);
  let parsed: unknown;
  try {
    parsed = JSON.parse(actual);
  } catch {
    return false;
  }
  return sameStructure(expected, parsed);
}

function sameStructure(expected: Cell, actual: unknown): boolean {
  if (expected === null) return actual === null;
  if (typeof expected === 'string') return actual !== null && typeof actual !== 'object' && sameScalar(expected, String(actual));
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((cell, i) => sameStructure(cell, actual[i]));
  }
  const entries = mapEntries(actual);
  if (!entries || entries.length !== expected.map.length) return false;
  return expected.map.every(([key, value]) => entries.some(([k, v]) => sameStructure(key, k) && sameStructure(value, v)));
}

/** A map as DuckDB's JSON renders it: an array of {key, value}, or an object. */
function mapEntries(actual: unknown): Array<[unknown, unknown]> | undefined {
  if (Array.isArray(actual)) {
    return actual.every((entry) => entry && typeof entry === 'object' && 'key' in entry)
      ? actual.map((entry) => [entry.key, entry.value]) : undefined;
  }
  if (actual && typeof actual === 'object') return Object.entries(actual);
  return undefined;
}

function sameScalar(expected: string, actual: string): boolean {
  if (expected === actual) return true;
  const number = /^-?\d+(\.\d+)?(E-?\d+)?$/i;
  if (number.test(expected) && number.test(actual)) return Number(expected) === Number(actual);
  const withoutZeroFraction = (text: string) => text.replace(/(\d{2}:\d{2}:\d{2})\.0+$/, '$1');
  return withoutZeroFraction(expected) === withoutZeroFraction(actual);
}
