import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The migration guide, which the npm package does not ship. */
export const MIGRATION_GUIDE = 'https://github.com/cdk-keep-data-up-to-date/cdk-keep-data-up-to-date/blob/main/docs/migrating.md';

/** The prefix of every error code and warning id of this library. */
export const CODE_PREFIX = 'cdk-keep-data-up-to-date';

/**
 * The stable codes of the synth-time errors, each with what it means. docs/errors.md lists them;
 * a test keeps the two the same.
 */
export const ERROR_CODES = {
  InvalidName: 'A Glue database, table or column name, or a workgroup name, is not one Glue or Athena accepts.',
  InvalidPrefix: 'An S3 key prefix has a leading `/`, `//` or `*`.',
  InvalidSourceTables: '`sourceTableNames` is empty, names a table twice, or names the target.',
  ConflictingProps: 'Two props (or a prop and an option) that cannot be set together.',
  MissingQueries: 'Neither `queries` nor the deprecated `createTargetQuery` and `updateTargetQuery` are set.',
  InvalidQueryTemplate: 'A statement is empty, uses an unknown `{{placeholder}}`, or lacks `{{watermark}}` / `{{windowEnd}}` with a watermark.',
  InvalidWatermark: 'A watermark option is out of range or names a table that is not a source.',
  InvalidWatermarkValue: 'An initial watermark is not a value of the watermark column\'s type.',
  InvalidWatermarkType: 'The watermark type does not fit the watermark column\'s declared type.',
  InvalidColumns: 'The columns of a generated statement are missing, misordered or untyped.',
  UnsupportedTargetStorage: 'The statements cannot write to the chosen `target`, or a prop does not apply to it.',
  InvalidTableBucketArn: 'A table bucket ARN is not `arn:<partition>:s3tables:<region>:<account>:bucket/<name>`.',
  InvalidDuration: 'A duration is outside what the service accepts (`maxStaleness`, `resultsExpiration`, `snapshotRetention`).',
  InvalidSize: '`bytesScannedCutoffPerQuery` is below Athena\'s minimum of 10 MB.',
  NoWatermark: 'A prop or method that reads the freshness metric, on a workflow without a watermark.',
  InvalidLakeFormationOptions: 'Lake Formation grant options that cannot be granted for this target.',
} as const;

/** The name part of a stable error code. */
export type ErrorName = keyof typeof ERROR_CODES;

/**
 * The one error of this library's synth-time checks: its message starts with the construct's
 * path and ends with a stable code (`cdk-keep-data-up-to-date:InvalidWatermarkType`), which
 * `code` also holds, so users can match on it in any language.
 *
 * It is not an aws-cdk-lib `ValidationError`: aws-cdk-lib marks that class `@internal`, so it is
 * not public API, and `Errors.isValidationError` recognises only its instances. See docs/errors.md.
 */
export class KeepDataUpToDateError extends Error {
  /** The stable code, `cdk-keep-data-up-to-date:<Name>`. */
  public readonly code: string;
  /** The path of the construct whose props are wrong. */
  public readonly constructPath: string;

  constructor(scope: IConstruct, name: ErrorName, message: string) {
    super(`${scope.constructor.name} '${scope.node.path}': ${message} (${CODE_PREFIX}:${name})`);
    this.name = 'KeepDataUpToDateError';
    this.code = `${CODE_PREFIX}:${name}`;
    this.constructPath = scope.node.path;
  }
}

/** Throws the library's synth-time error for `scope`. */
export function fail(scope: IConstruct, name: ErrorName, message: string): never {
  throw new KeepDataUpToDateError(scope, name, message);
}

/** aws-cdk-lib's deprecation warning for a deprecated API (an error under CDK_BLOCK_DEPRECATIONS). */
export function deprecated(scope: IConstruct, api: string, replacement: string): void {
  Annotations.of(scope).addDeprecation(`${CODE_PREFIX}.${api}`, `use ${replacement} instead (${MIGRATION_GUIDE})`);
}
