import * as fs from 'fs';
import * as path from 'path';
import { Duration, Errors, Size, Stack } from 'aws-cdk-lib';
import { KeepDataUpToDate, KeepDataUpToDateProps, TargetQueries, TargetStorage, WatermarkColumnType } from '../src';
import { newStack, watermarkProps } from './util';
import { ERROR_CODES, ErrorName } from '../src/private/errors';

/*
 * Every synth-time error is one class with a stable code, `cdk-keep-data-up-to-date:<Name>`, at
 * the end of its message and in its `code` property; docs/errors.md lists the codes.
 */

const TABLE_BUCKET_ARN = 'arn:aws:s3tables:eu-west-1:111122223333:bucket/analytics-tables';
const TEMPLATES = ["CREATE TABLE t WITH (external_location = '{{targetLocation}}') AS SELECT * FROM s", 'INSERT INTO t SELECT * FROM s'] as const;
const merge = (overrides: object = {}) => TargetQueries.mergeNewerRows({
  sourceTableName: 'raw_sales',
  uniqueKey: ['order_id'],
  watermarkColumn: 'dt',
  columns: ['order_id', 'dt'],
  columnTypes: { order_id: 'bigint', dt: 'string' },
  ...overrides,
});
const s3Table = TargetStorage.s3Table({ tableBucketArn: TABLE_BUCKET_ARN, namespace: 'sales' });

/** For each code, props that fail with it. */
const FAILING: Record<ErrorName, (stack: Stack) => Partial<KeepDataUpToDateProps>> = {
  InvalidName: () => ({ databaseName: 'Analytics' }),
  InvalidPrefix: () => ({ resultsPrefix: '/results' }),
  InvalidSourceTables: () => ({ sourceTableNames: [] }),
  ConflictingProps: () => ({ workGroupName: 'team', bytesScannedCutoffPerQuery: Size.gibibytes(1) }),
  MissingQueries: () => ({ queries: undefined }),
  InvalidQueryTemplate: () => ({ queries: TargetQueries.fromTemplates(' ', TEMPLATES[1]) }),
  InvalidWatermark: () => ({ queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt', maxPartitionsPerQuery: 101 }) }),
  InvalidWatermarkValue: () => ({ queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt', watermarkType: WatermarkColumnType.DATE, initialWatermark: '2026-02-30' }) }),
  InvalidWatermarkType: () => ({ target: s3Table, queries: merge({ watermarkType: WatermarkColumnType.DATE }) }),
  InvalidColumns: () => ({ queries: merge({ uniqueKey: [], columnTypes: undefined }) }),
  UnsupportedTargetStorage: () => ({ target: s3Table }),
  InvalidTableBucketArn: () => ({ target: TargetStorage.s3Table({ tableBucketArn: 'arn:aws:s3:::analytics-tables', namespace: 'sales' }), queries: merge() }),
  InvalidDuration: () => ({ maxStaleness: Duration.seconds(30) }),
  InvalidSize: () => ({ bytesScannedCutoffPerQuery: Size.mebibytes(1) }),
  NoWatermark: () => ({ queries: TargetQueries.fromTemplates(...TEMPLATES), maxStaleness: Duration.hours(2) }),
  InvalidLakeFormationOptions: () => ({}),
};

/** The error that building the workflow with `overrides` throws (for Lake Formation, granting on an S3 table target). */
function errorOf(name: ErrorName): any {
  const stack = newStack();
  try {
    if (name === 'InvalidLakeFormationOptions') {
      new KeepDataUpToDate(stack, 'DailySales', watermarkProps(stack, { target: s3Table, queries: merge() }))
        .grantLakeFormationPermissions({ targetTableExists: true });
    } else {
      new KeepDataUpToDate(stack, 'DailySales', watermarkProps(stack, FAILING[name](stack)));
    }
  } catch (error) {
    return error;
  }
  throw new Error(`nothing failed for ${name}`);
}

describe('synth-time errors', () => {
  test('every code has a case here', () => {
    expect(Object.keys(FAILING).sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  test.each(Object.keys(ERROR_CODES) as ErrorName[])('%s: the code ends the message and is the error\'s code', (name) => {
    // WHEN
    const error = errorOf(name);
    // THEN
    expect(error.code).toBe(`cdk-keep-data-up-to-date:${name}`);
    expect(error.message).toMatch(new RegExp(`^(KeepDataUpToDate 'Stack/DailySales'|LakeFormationPermissions 'Stack/DailySales/LakeFormationPermissions'): .+ \\(cdk-keep-data-up-to-date:${name}\\)$`));
    expect(error.constructPath).toMatch(/^Stack\/DailySales/);
  });

  test('are not aws-cdk-lib ValidationErrors, as docs/errors.md explains: that class is internal to aws-cdk-lib', () => {
    const error = errorOf('InvalidName');
    expect(error).toBeInstanceOf(Error);
    expect(Errors.isValidationError(error)).toBe(false);
    expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'errors.md'), 'utf8')).toMatch(/`Errors\.isValidationError\(e\)` is `false`.*`@internal`/s);
  });

  test('docs/errors.md lists exactly the codes, each with what it means', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'errors.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `cdk-keep-data-up-to-date:([A-Z]\w+)` \| (.+) \|$/gm)];
    expect(documented.map((match) => match[1]).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [, name, meaning] of documented) expect(meaning).toBe(ERROR_CODES[name as ErrorName]);
  });
});

describe('warnings', () => {
  test('docs/errors.md lists exactly the warning ids the library emits', () => {
    // GIVEN every warning id in the source: `warn('<id>'`, `${CODE_PREFIX}:<id>` or 'cdk-keep-data-up-to-date:<id>', lower camel case
    const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []));
    const emitted = new Set(sources(path.join(__dirname, '..', 'src')).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/(?:warn\('|\$\{CODE_PREFIX\}:|'cdk-keep-data-up-to-date:)([a-z]\w+)/g)].map((match) => match[1])));
    // The context key that opts in to deleting data is no warning.
    emitted.delete('removeDataOnDestroy');
    // WHEN
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'errors.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `cdk-keep-data-up-to-date:([a-z]\w+)` \|/gm)].map((match) => match[1]);
    // THEN
    expect(emitted.size).toBeGreaterThan(5);
    expect(documented.sort()).toEqual([...emitted].sort());
  });
});
