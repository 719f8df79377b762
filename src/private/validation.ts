import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { WatermarkColumnType } from '../watermark';
import { fail } from './errors';

/** Glue database and table names that Athena can query: lower-case letters, digits and underscores. */
const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
/** Athena workgroup names. */
const WORKGROUP_NAME = /^[a-zA-Z0-9._-]{1,128}$/;

/** Fails when a resolved Glue database or table name is not one Athena can use. */
export function validateGlueName(scope: IConstruct, prop: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!GLUE_NAME.test(value)) {
    fail(scope, 'InvalidName',
      `${prop} must be 1 to 255 lower-case letters, digits or underscores, as Glue and Athena require (got '${value}')`,
    );
  }
}

/** Fails when a resolved Athena workgroup name is not valid. */
export function validateWorkGroupName(scope: IConstruct, prop: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!WORKGROUP_NAME.test(value)) {
    fail(scope, 'InvalidName',
      `${prop} must be 1 to 128 letters, digits, '.', '_' or '-' (got '${value}')`,
    );
  }
}

/**
 * Normalizes an S3 key prefix: empty means the whole bucket; otherwise it must not start with
 * '/' and gets a trailing '/' so that `prefix*` cannot match a sibling such as `sales_old/`.
 */
export function normalizePrefix(scope: IConstruct, prop: string, value: string | undefined): string {
  if (value === undefined || value === '' || Token.isUnresolved(value)) return value ?? '';
  if (value.startsWith('/') || value.includes('//') || value.includes('*')) {
    fail(scope, 'InvalidPrefix',
      `${prop} must be an S3 key prefix such as 'sales/daily/', without a leading '/', '//' or '*' (got '${value}')`,
    );
  }
  return value.endsWith('/') ? value : `${value}/`;
}

/** Fails when a list that must name something is empty or names a value twice. */
export function validateNonEmptyUnique(scope: IConstruct, prop: string, values: string[]): void {
  if (values.length === 0) {
    fail(scope, 'InvalidSourceTables', `${prop} must name at least one table`);
  }
  const seen = new Set<string>();
  for (const value of values) {
    if (!Token.isUnresolved(value) && seen.has(value)) {
      fail(scope, 'InvalidSourceTables', `${prop} names '${value}' more than once`);
    }
    seen.add(value);
  }
}

/** The forms a watermark value known at synth time may take, by column type, as Trino's literals take them. */
const WATERMARK_VALUE: Record<WatermarkColumnType, { pattern: RegExp; example: string }> = {
  [WatermarkColumnType.STRING]: { pattern: /^[\s\S]*$/, example: "'2026-01-31'" },
  [WatermarkColumnType.DATE]: { pattern: /^\d{4}-\d{2}-\d{2}$/, example: "'2026-01-31'" },
  [WatermarkColumnType.TIMESTAMP]: { pattern: /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?)?$/, example: "'2026-01-31 12:00:00'" },
  [WatermarkColumnType.INTEGER]: { pattern: /^-?\d{1,19}$/, example: "'20260131'" },
};

/** Fails when a watermark value does not fit its column's type. */
export function validateWatermarkValue(scope: IConstruct, prop: string, type: WatermarkColumnType, value: string): void {
  if (Token.isUnresolved(value)) return;
  const { pattern, example } = WATERMARK_VALUE[type];
  const calendar = type === WatermarkColumnType.DATE || type === WatermarkColumnType.TIMESTAMP;
  const valid = pattern.test(value) && (!calendar || isCalendarDate(value.slice(0, 10)));
  if (!valid) {
    fail(scope, 'InvalidWatermarkValue', `${prop} must be a ${type.toLowerCase()} value such as ${example} for a ${type} watermark column (got '${value}')`);
  }
}

/** Whether `YYYY-MM-DD` names a day that exists (not 2026-02-30). */
function isCalendarDate(text: string): boolean {
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}
