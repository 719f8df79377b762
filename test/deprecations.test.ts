import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeepDataUpToDate, KeepDataUpToDateProps, MergeNewerRowsOptions, TargetQueries, TargetStorage } from '../src';

/*
 * Each deprecated API still works for a minor release, warns through aws-cdk-lib's deprecation
 * warnings, and synthesizes exactly the template of its replacement (docs/migrating.md).
 */

const CREATE = "CREATE TABLE {{database}}.{{targetTable}} WITH (external_location = '{{targetLocation}}', partitioned_by = ARRAY['dt']) AS SELECT * FROM {{database}}.raw_sales WITH NO DATA";
const UPDATE = 'INSERT INTO {{database}}.{{targetTable}} SELECT * FROM {{database}}.raw_sales WHERE dt > {{watermark}} AND dt <= {{windowEnd}}';
const TABLE_BUCKET_ARN = 'arn:aws:s3tables:eu-west-1:111122223333:bucket/analytics-tables';
const MERGE: MergeNewerRowsOptions = {
  sourceTableName: 'raw_sales',
  uniqueKey: ['order_id'],
  watermarkColumn: 'dt',
  columns: ['order_id', 'amount', 'dt'],
  columnTypes: { order_id: 'bigint', amount: 'double', dt: 'string' },
};

/** The stack of one workflow over `analytics.raw_sales`, with `props` (given the stack's lake bucket). */
function synth(props: (lake: s3.IBucket) => Partial<KeepDataUpToDateProps>): { stack: Stack; template: any } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-1' } });
  const lake = s3.Bucket.fromBucketName(stack, 'Lake', 'my-lake');
  new KeepDataUpToDate(stack, 'DailySales', {
    databaseName: 'analytics',
    targetTableName: 'daily_sales',
    sourceTableNames: ['raw_sales'],
    sourceDataLocations: [{ bucket: lake, prefix: 'raw/' }],
    ...props(lake),
  } as KeepDataUpToDateProps);
  return { stack, template: Template.fromStack(stack).toJSON() };
}

const CASES: Array<[string, string, (lake: s3.IBucket) => Partial<KeepDataUpToDateProps>, (lake: s3.IBucket) => Partial<KeepDataUpToDateProps>]> = [
  ['KeepDataUpToDateProps#createTargetQuery', 'queries: TargetQueries.fromTemplates(...)',
    () => ({ createTargetQuery: CREATE, updateTargetQuery: UPDATE, watermark: { column: 'dt' } }),
    () => ({ queries: TargetQueries.fromTemplates(CREATE, UPDATE, { column: 'dt' }) })],
  ['KeepDataUpToDateProps#targetDataLocation', 'target: TargetStorage.s3(...)',
    (lake) => ({ targetDataLocation: { bucket: lake, prefix: 'curated/' }, queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt' }) }),
    (lake) => ({ target: TargetStorage.s3({ bucket: lake, prefix: 'curated/' }), queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt' }) })],
  ['KeepDataUpToDateProps#skipWhenRunning', 'singleWriter',
    () => ({ skipWhenRunning: false, queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt' }) }),
    () => ({ singleWriter: false, queries: TargetQueries.appendNewerRows({ sourceTableName: 'raw_sales', watermarkColumn: 'dt' }) })],
  ['WatermarkOptions#partitionColumn', 'isPartitionColumn',
    () => ({ queries: TargetQueries.fromTemplates(CREATE, UPDATE, { column: 'dt', partitionColumn: false }) }),
    () => ({ queries: TargetQueries.fromTemplates(CREATE, UPDATE, { column: 'dt', isPartitionColumn: false }) })],
  ['MergeNewerRowsOptions#maxPartitionsPerQuery', 'maxWatermarkValuesPerQuery',
    () => ({ queries: TargetQueries.mergeNewerRows({ ...MERGE, columnTypes: undefined, maxPartitionsPerQuery: 30 }) }),
    () => ({ queries: TargetQueries.mergeNewerRows({ ...MERGE, columnTypes: undefined, maxWatermarkValuesPerQuery: 30 }) })],
  ['TargetQueries#mergeNewerRowsIntoS3Table', 'TargetQueries.mergeNewerRows with columnTypes, and target: TargetStorage.s3Table(...)',
    () => ({ queries: TargetQueries.mergeNewerRowsIntoS3Table({ ...MERGE, columnTypes: MERGE.columnTypes!, tableBucketArn: TABLE_BUCKET_ARN, namespace: 'sales' }) }),
    () => ({ queries: TargetQueries.mergeNewerRows(MERGE), target: TargetStorage.s3Table({ tableBucketArn: TABLE_BUCKET_ARN, namespace: 'sales' }) })],
];

describe.each(CASES)('the deprecated %s', (api, replacement, deprecated, current) => {
  test(`synthesizes the same template as ${replacement}`, () => {
    expect(synth(deprecated).template).toEqual(synth(current).template);
  });

  test('warns that it is deprecated and names the replacement; the replacement does not', () => {
    const old = synth(deprecated).stack;
    Annotations.fromStack(old).hasWarning('/Stack/DailySales',
      Match.stringLikeRegexp(`The API cdk-keep-data-up-to-date\\.${api.replace(/[#.]/g, '\\$&')} is deprecated: use .*docs/migrating\\.md`));
    Annotations.fromStack(synth(current).stack).hasNoWarning('*', Match.stringLikeRegexp('is deprecated'));
  });
});

test('the migration guide shows each deprecated API with its replacement', () => {
  const guide = fs.readFileSync(path.join(__dirname, '..', 'docs', 'migrating.md'), 'utf8');
  for (const [api] of CASES) expect(guide).toContain(api.split('#')[1]);
});

test.each([
  ['queries and createTargetQuery', { queries: TargetQueries.fromTemplates(CREATE, UPDATE), createTargetQuery: CREATE }, /createTargetQuery \(deprecated\) cannot be combined with queries/],
  ['target and targetDataLocation', { queries: TargetQueries.fromTemplates(CREATE, UPDATE), target: TargetStorage.s3(), targetDataLocation: { bucket: s3.Bucket.fromBucketName(new Stack(), 'Other', 'other-lake') } },
    /target and targetDataLocation \(deprecated\) each say where the target lives: set target only/],
  ['singleWriter and skipWhenRunning that disagree', { queries: TargetQueries.fromTemplates(CREATE, UPDATE), singleWriter: true, skipWhenRunning: false }, /skipWhenRunning \(deprecated\) and singleWriter disagree/],
  ['isPartitionColumn and partitionColumn that disagree', { queries: TargetQueries.fromTemplates(CREATE, UPDATE, { column: 'dt', isPartitionColumn: true, partitionColumn: false }) },
    /watermark.partitionColumn\) \(deprecated\) and .*watermark.isPartitionColumn\) disagree/],
])('fails when given both %s', (_name, props, error) => {
  expect(() => synth(() => props as Partial<KeepDataUpToDateProps>)).toThrow(error);
});
