import { AstNode, template } from './ast';
import { decimalOf } from './duckdb-types';

/**
 * Trino's decimal division: scale max(xs, ys), precision min(38, xp + ys + max(ys - xs, 0)),
 * the quotient rounded HALF_UP (trinodb/trino core/trino-main/.../type/DecimalOperators.java;
 * the table on https://trino.io/docs/current/functions/decimal.html prints the precision
 * differently, and the code is what Athena runs). DuckDB divides decimals as doubles, so the
 * quotient is computed exactly on the unscaled values instead.
 */
export function decimalDivide(left: AstNode, right: AstNode, leftType: string, rightType: string, inTry: boolean): AstNode {
  const x = decimalOf(leftType);
  const y = decimalOf(rightType);
  const scale = Math.max(x.scale, y.scale);
  const precision = Math.min(38, x.precision + y.scale + Math.max(y.scale - x.scale, 0));
  const rescale = scale - x.scale + y.scale;
  // Inside try(), a zero divisor gives NULL (DuckDB's try cannot wrap error()).
  const quotient = inTry ? 'trino_decimal_quotient_or_null' : 'trino_decimal_quotient';
  return scaled(`${quotient}(trino_unscaled(__0), trino_unscaled(__1), ${rescale})`, precision, scale, left, right);
}

/** Trino's avg of decimal(p, s): decimal(p, s), rounded HALF_UP (DecimalAverageAggregation). */
export function decimalAverage(argument: AstNode, type: string): AstNode {
  const { precision, scale } = decimalOf(type);
  return scaled('trino_decimal_quotient(trino_unscaled(sum(__0)), CAST(count(__0) AS bigint), 0)', precision, scale, argument);
}

/** Trino's decimal remainder: scale max(xs, ys), precision min(xp - xs, yp - ys) + max(xs, ys). */
export function decimalModulus(left: AstNode, right: AstNode, leftType: string, rightType: string): AstNode {
  const x = decimalOf(leftType);
  const y = decimalOf(rightType);
  const scale = Math.max(x.scale, y.scale);
  const precision = Math.min(x.precision - x.scale, y.precision - y.scale) + scale;
  return template(`CAST(trino_modulus(CAST(__0 AS decimal(38, ${scale})), CAST(__1 AS decimal(38, ${scale}))) AS decimal(${precision}, ${scale}))`, left, right);
}

/** An unscaled integer expression as decimal(precision, scale). */
function scaled(unscaled: string, precision: number, scale: number, ...operands: AstNode[]): AstNode {
  const unit = scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`;
  return template(`CAST(CAST(${unscaled} AS decimal(38, 0)) * CAST('${unit}' AS decimal(${scale + 1}, ${scale})) AS decimal(${precision}, ${scale}))`, ...operands);
}
