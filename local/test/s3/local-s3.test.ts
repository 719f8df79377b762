import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ResolvedStateMachine } from '../../assembly/definition';
import type { StateMachineDefinition } from '../../execution/step-functions';
import { LocalAws } from '../../local-aws';

const BUCKET = 'example-data-lake';
const PARTITION_KEYS = [
  'orders/dt=2026-01-01/a.parquet',
  'orders/dt=2026-01-01/b.parquet',
  'orders/dt=2026-01-01/c.parquet',
  'orders/dt=2026-01-01/nested/d.parquet',
  'orders/dt=2026-01-01/e.parquet',
];
const OTHER_KEYS = ['orders/dt=2026-01-02/a.parquet', 'orders/dt=2026-01-010/a.parquet', 'other/x.parquet'];

let aws: LocalAws;

beforeEach(async () => {
  aws = await LocalAws.create(fs.mkdtempSync(path.join(os.tmpdir(), 'keep-data-up-to-date-s3-')));
  for (const key of [...PARTITION_KEYS, ...OTHER_KEYS]) putObject(key, `content of ${key}`);
});

afterEach(() => {
  aws.close();
  fs.rmSync(aws.dataDir, { recursive: true, force: true });
});

function putObject(key: string, body: string): void {
  const file = aws.s3.pathOf(`s3://${BUCKET}/${key}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
}

/** Every key of the bucket, from the files on disk. */
function keysOnDisk(): string[] {
  const bucketDir = aws.s3.pathOf(`s3://${BUCKET}`);
  return (fs.readdirSync(bucketDir, { recursive: true }) as string[])
    .filter((entry) => fs.statSync(path.join(bucketDir, entry)).isFile())
    .map((entry) => entry.split(path.sep).join('/'))
    .sort();
}

const sortedPartitionKeys = [...PARTITION_KEYS].sort();
const listObjects = (input: Record<string, unknown>) => aws.handlers['aws-sdk:s3:listObjectsV2'](input, { stateName: 'List', resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2' }) as any;
const deleteObjects = (input: Record<string, unknown>) => aws.handlers['aws-sdk:s3:deleteObjects'](input, { stateName: 'Delete', resource: 'arn:aws:states:::aws-sdk:s3:deleteObjects' }) as any;
const machineOf = (definition: object): ResolvedStateMachine => ({
  logicalId: 'S3Machine',
  name: 'S3Machine',
  arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:S3Machine',
  definition: definition as StateMachineDefinition,
});

describe('listObjectsV2', () => {
  test('lists the objects under a prefix, keys in order, with their size, ETag and storage class', () => {
    // WHEN one partition's prefix is listed
    const listing = listObjects({ Bucket: BUCKET, Prefix: 'orders/dt=2026-01-01/' });

    // THEN it holds exactly that partition's files, nested ones included, in key order
    expect(listing).toEqual({
      Name: BUCKET,
      Prefix: 'orders/dt=2026-01-01/',
      KeyCount: 5,
      MaxKeys: 1000,
      IsTruncated: false,
      Contents: sortedPartitionKeys.map((key) => ({
        Key: key,
        Size: Buffer.byteLength(`content of ${key}`),
        ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
        LastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        StorageClass: 'STANDARD',
      })),
    });
    // AND the ETag is the content's MD5, as S3's for an object uploaded in one part
    expect(listing.Contents[0].ETag).toBe(`"${createHash('md5').update(`content of ${sortedPartitionKeys[0]}`).digest('hex')}"`);
  });

  test('a prefix matches keys by their beginning, not by directory', () => {
    expect(listObjects({ Bucket: BUCKET, Prefix: 'orders/dt=2026-01-01' }).Contents.map((object: any) => object.Key))
      .toEqual(['orders/dt=2026-01-01/a.parquet', 'orders/dt=2026-01-01/b.parquet', 'orders/dt=2026-01-01/c.parquet',
        'orders/dt=2026-01-01/e.parquet', 'orders/dt=2026-01-01/nested/d.parquet', 'orders/dt=2026-01-010/a.parquet']);
    expect(listObjects({ Bucket: BUCKET }).KeyCount).toBe(8);
  });

  test('orders keys by their UTF-8 bytes', () => {
    // GIVEN keys whose UTF-8 order differs from JavaScript's UTF-16 order: U+FF5E comes before
    // U+1F600 in UTF-8, after it in UTF-16 (whose surrogates start at 0xD800)
    putObject('utf/\u{1F600}', 'astral');
    putObject('utf/\uFF5E', 'bmp');
    putObject('utf/z', 'ascii');

    expect(listObjects({ Bucket: BUCKET, Prefix: 'utf/' }).Contents.map((object: any) => object.Key))
      .toEqual(['utf/z', 'utf/\uFF5E', 'utf/\u{1F600}']);
  });

  test('pages through 5 keys 2 at a time: 3 pages, then IsTruncated false', () => {
    const pages: any[] = [];
    let token: string | undefined;
    do {
      const page = listObjects({ Bucket: BUCKET, Prefix: 'orders/dt=2026-01-01/', MaxKeys: 2, ...(token ? { ContinuationToken: token } : {}) });
      pages.push(page);
      token = page.NextContinuationToken;
    } while (token !== undefined && pages.length < 10);

    expect(pages.map((page) => page.Contents.map((object: any) => object.Key))).toEqual([
      sortedPartitionKeys.slice(0, 2), sortedPartitionKeys.slice(2, 4), sortedPartitionKeys.slice(4),
    ]);
    expect(pages.map((page) => [page.KeyCount, page.MaxKeys, page.IsTruncated])).toEqual([[2, 2, true], [2, 2, true], [1, 2, false]]);
    expect(pages[2].NextContinuationToken).toBeUndefined();
    // AND a page echoes the token it was asked with
    expect(pages[1].ContinuationToken).toBe(pages[0].NextContinuationToken);
  });

  test('omits Contents when nothing is listed, and caps a page at 1000 keys', () => {
    expect(listObjects({ Bucket: BUCKET, Prefix: 'orders/dt=2027-01-01/' })).toEqual({
      Name: BUCKET, Prefix: 'orders/dt=2027-01-01/', KeyCount: 0, MaxKeys: 1000, IsTruncated: false,
    });
    for (let i = 0; i < 1001; i++) putObject(`many/${String(i).padStart(4, '0')}`, '');
    const page = listObjects({ Bucket: BUCKET, Prefix: 'many/', MaxKeys: 5000 });
    expect([page.KeyCount, page.IsTruncated]).toEqual([1000, true]);
    expect(listObjects({ Bucket: BUCKET, Prefix: 'many/', ContinuationToken: page.NextContinuationToken }).Contents)
      .toEqual([expect.objectContaining({ Key: 'many/1000' })]);
  });

  test('fails with S3.NoSuchBucket for an unknown bucket, and with S3.InvalidArgument for a token it did not give', () => {
    expect(() => listObjects({ Bucket: 'no-such-bucket' })).toThrow(expect.objectContaining({ name: 'S3.NoSuchBucket' }));
    expect(() => listObjects({ Bucket: BUCKET, ContinuationToken: 'not a token' })).toThrow(expect.objectContaining({ name: 'S3.InvalidArgument' }));
  });

  test('fails when asked for a parameter it does not implement', () => {
    expect(() => listObjects({ Bucket: BUCKET, Delimiter: '/' })).toThrow(/does not support Delimiter/);
  });
});

describe('deleteObjects', () => {
  test('deletes exactly the named objects, succeeds for a missing key, and removes directories left empty', () => {
    // WHEN two objects of one partition, the nested one, and a key without an object are deleted
    const result = deleteObjects({
      Bucket: BUCKET,
      Delete: { Objects: [{ Key: 'orders/dt=2026-01-01/a.parquet' }, { Key: 'orders/dt=2026-01-01/nested/d.parquet' }, { Key: 'orders/dt=2026-01-01/missing.parquet' }] },
    });

    // THEN each is reported deleted
    expect(result).toEqual({
      Deleted: [{ Key: 'orders/dt=2026-01-01/a.parquet' }, { Key: 'orders/dt=2026-01-01/nested/d.parquet' }, { Key: 'orders/dt=2026-01-01/missing.parquet' }],
    });
    // AND every other object is still there
    expect(keysOnDisk()).toEqual([...PARTITION_KEYS, ...OTHER_KEYS]
      .filter((key) => key !== 'orders/dt=2026-01-01/a.parquet' && key !== 'orders/dt=2026-01-01/nested/d.parquet').sort());
    // AND the emptied directory is gone, its non-empty parent is not
    const partitionDir = aws.s3.pathOf(`s3://${BUCKET}/orders/dt=2026-01-01/`);
    expect(fs.existsSync(path.join(partitionDir, 'nested'))).toBe(false);
    expect(fs.existsSync(partitionDir)).toBe(true);
  });

  test('deleting a partition\'s last object removes its directory, but keeps the bucket', () => {
    deleteObjects({ Bucket: BUCKET, Delete: { Objects: PARTITION_KEYS.map((Key) => ({ Key })) } });
    deleteObjects({ Bucket: BUCKET, Delete: { Objects: OTHER_KEYS.map((Key) => ({ Key })) } });

    expect(fs.existsSync(aws.s3.pathOf(`s3://${BUCKET}/orders`))).toBe(false);
    expect(fs.readdirSync(aws.s3.pathOf(`s3://${BUCKET}`))).toEqual([]);
    expect(listObjects({ Bucket: BUCKET }).KeyCount).toBe(0);
  });

  test('a key a file cannot hold names no object, so it deletes nothing', () => {
    // 'orders//dt=…' and 'orders/dt=2026-01-01' are other keys than the files' keys
    const result = deleteObjects({
      Bucket: BUCKET,
      Delete: { Objects: [{ Key: 'orders//dt=2026-01-01/a.parquet' }, { Key: 'orders/dt=2026-01-01' }, { Key: 'orders/dt=2026-01-01/' }] },
    });
    expect(result.Deleted).toHaveLength(3);
    expect(keysOnDisk()).toEqual([...PARTITION_KEYS, ...OTHER_KEYS].sort());
  });

  test('in quiet mode reports no deleted keys, only errors', () => {
    const result = deleteObjects({
      Bucket: BUCKET,
      Delete: { Objects: [{ Key: 'other/x.parquet' }, { Key: 'orders/dt=2026-01-02/a.parquet', VersionId: '3HL4kqtJlcpXroDTDmjVBH40Nrjfkd' }], Quiet: true },
    });

    expect(result).toEqual({
      Errors: [{ Key: 'orders/dt=2026-01-02/a.parquet', VersionId: '3HL4kqtJlcpXroDTDmjVBH40Nrjfkd', Code: 'NoSuchVersion', Message: 'The specified version does not exist.' }],
    });
    expect(keysOnDisk()).not.toContain('other/x.parquet');
    expect(keysOnDisk()).toContain('orders/dt=2026-01-02/a.parquet');
  });

  test('fails with S3.MalformedXML for more than 1000 keys, or none, and deletes nothing', () => {
    const keys = [...PARTITION_KEYS, ...Array.from({ length: 1001 - PARTITION_KEYS.length }, (_, i) => `missing/${i}`)];
    expect(() => deleteObjects({ Bucket: BUCKET, Delete: { Objects: keys.map((Key) => ({ Key })) } }))
      .toThrow(expect.objectContaining({ name: 'S3.MalformedXML' }));
    expect(() => deleteObjects({ Bucket: BUCKET, Delete: { Objects: [] } })).toThrow(expect.objectContaining({ name: 'S3.MalformedXML' }));
    expect(keysOnDisk()).toEqual([...PARTITION_KEYS, ...OTHER_KEYS].sort());
    // AND exactly 1000 is allowed
    expect(deleteObjects({ Bucket: BUCKET, Delete: { Objects: keys.slice(0, 1000).map((Key) => ({ Key })), Quiet: true } })).toEqual({});
    expect(keysOnDisk()).toEqual([...OTHER_KEYS].sort());
  });

  test('fails with S3.NoSuchBucket for an unknown bucket', () => {
    expect(() => deleteObjects({ Bucket: 'no-such-bucket', Delete: { Objects: [{ Key: 'a' }] } }))
      .toThrow(expect.objectContaining({ name: 'S3.NoSuchBucket' }));
  });
});

describe('in a workflow', () => {
  test('a Task on the listObjectsV2 resource pages with the continuation token until the listing ends', async () => {
    // GIVEN a loop that lists 2 keys at a time, passing on NextContinuationToken while there is one
    const machine = machineOf({
      StartAt: 'First Page',
      States: {
        'First Page': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2',
          Parameters: { Bucket: BUCKET, Prefix: 'orders/dt=2026-01-01/', MaxKeys: 2 },
          ResultPath: '$.listing',
          Next: 'More?',
        },
        'More?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.listing.NextContinuationToken', IsPresent: true, Next: 'Next Page' }],
          Default: 'Done',
        },
        'Next Page': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2',
          Parameters: { 'Bucket': BUCKET, 'Prefix': 'orders/dt=2026-01-01/', 'MaxKeys': 2, 'ContinuationToken.$': '$.listing.NextContinuationToken' },
          ResultPath: '$.listing',
          Next: 'More?',
        },
        'Done': { Type: 'Succeed' },
      },
    });

    // WHEN it runs
    const run = await aws.startExecution(machine);

    // THEN it listed 3 pages whose keys, in order, are the partition's
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(['First Page', 'More?', 'Next Page', 'More?', 'Next Page', 'More?', 'Done']);
    const pages = run.events.flatMap((event) => (event.type === 'StateExited' && event.state.type === 'Task' ? [(event.state.output as any).listing] : []));
    expect(pages.flatMap((page) => page.Contents.map((object: any) => object.Key))).toEqual(sortedPartitionKeys);
    expect(pages.map((page) => page.IsTruncated)).toEqual([true, true, false]);
  });

  test('list, delete the page, list again: empties a partition and nothing else', async () => {
    // GIVEN the shape of a partition rewrite: list a page, delete its keys quietly, repeat while truncated
    const machine = machineOf({
      StartAt: 'List Partition Objects',
      States: {
        'List Partition Objects': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2',
          Parameters: { 'Bucket': BUCKET, 'Prefix.$': "States.Format('orders/dt={}/', $.value)", 'MaxKeys': 2 },
          ResultPath: '$.listing',
          Next: 'Partition Has Objects?',
        },
        'Partition Has Objects?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.listing.Contents', IsPresent: true, Next: 'Collect Object Keys' }],
          Default: 'Partition Emptied',
        },
        'Collect Object Keys': {
          Type: 'Map',
          ItemsPath: '$.listing.Contents',
          ItemSelector: { 'Key.$': '$$.Map.Item.Value.Key' },
          ItemProcessor: { StartAt: 'Object Key', States: { 'Object Key': { Type: 'Pass', End: true } } },
          ResultPath: '$.keys',
          Next: 'Delete Partition Objects',
        },
        'Delete Partition Objects': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:deleteObjects',
          Parameters: { Bucket: BUCKET, Delete: { 'Objects.$': '$.keys', 'Quiet': true } },
          ResultPath: '$.deleteResult',
          Next: 'More Objects?',
        },
        'More Objects?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.listing.IsTruncated', BooleanEquals: true, Next: 'List Partition Objects' }],
          Default: 'Partition Emptied',
        },
        'Partition Emptied': { Type: 'Succeed' },
      },
    });

    // WHEN it runs for the partition dt=2026-01-01
    const run = await aws.startExecution(machine, { input: { value: '2026-01-01' } });

    // THEN it deleted 2 + 2 + 1 keys in three rounds, and only that partition's objects
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered.filter((state) => state === 'Delete Partition Objects')).toHaveLength(3);
    expect(run.output).toEqual(expect.objectContaining({ deleteResult: {} }));
    expect(keysOnDisk()).toEqual([...OTHER_KEYS].sort());
    expect(fs.existsSync(aws.s3.pathOf(`s3://${BUCKET}/orders/dt=2026-01-01/`))).toBe(false);
  });

  test('an unknown bucket fails the Task with S3.NoSuchBucket, which a Catch matches', async () => {
    const machine = machineOf({
      StartAt: 'List',
      States: {
        'List': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2',
          Parameters: { Bucket: 'no-such-bucket' },
          Catch: [{ ErrorEquals: ['S3.NoSuchBucket'], ResultPath: '$.error', Next: 'No Bucket' }],
          End: true,
        },
        'No Bucket': { Type: 'Pass', End: true },
      },
    });

    const run = await aws.startExecution(machine);

    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(['List', 'No Bucket']);
    expect((run.output as any).error.Error).toBe('S3.NoSuchBucket');
  });
});
