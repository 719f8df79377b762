import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** An S3 error as Step Functions' AWS SDK integration names it: `S3.<error code>`. */
export class S3Error extends Error {
  constructor(public readonly code: string, message: string) {
    super(message);
    this.name = `S3.${code}`;
  }
}

/** The most keys S3 lists in one page and deletes in one request. */
export const S3_MAX_KEYS = 1000;

export interface ListObjectsV2Input {
  readonly Bucket: string;
  readonly Prefix?: string;
  readonly ContinuationToken?: string;
  readonly StartAfter?: string;
  readonly MaxKeys?: number;
}

export interface S3Object {
  readonly Key: string;
  readonly Size: number;
  /** The MD5 of the content in double quotes, as S3 gives it for an object uploaded in one part. */
  readonly ETag: string;
  readonly LastModified: string;
  readonly StorageClass: 'STANDARD';
}

export interface ListObjectsV2Output {
  readonly Name: string;
  readonly Prefix: string;
  readonly KeyCount: number;
  readonly MaxKeys: number;
  readonly IsTruncated: boolean;
  /** Absent, as in S3's response, when no key is listed. */
  readonly Contents?: S3Object[];
  readonly ContinuationToken?: string;
  readonly NextContinuationToken?: string;
  readonly StartAfter?: string;
}

export interface DeleteObjectsInput {
  readonly Bucket: string;
  readonly Delete: {
    readonly Objects: ReadonlyArray<{ readonly Key: string; readonly VersionId?: string }>;
    readonly Quiet?: boolean;
  };
}

export interface DeleteObjectsOutput {
  /** Absent in quiet mode. */
  readonly Deleted?: Array<{ Key: string }>;
  readonly Errors?: Array<{ Key: string; VersionId?: string; Code: string; Message: string }>;
}

const LIST_PARAMETERS = new Set(['Bucket', 'Prefix', 'ContinuationToken', 'StartAfter', 'MaxKeys']);

/**
 * "S3" on local disk: object `key` of `bucket` is the file `<root>/<bucket>/<key>`, each `/` of
 * the key a directory level, so a Hive partition `dt=2026-01-01/` is a directory of that name. A
 * bucket exists when its directory does. Keys that a file path cannot hold (empty segments
 * `a//b`, `.` or `..` segments, a trailing `/`) have no objects here.
 */
export class LocalS3 {
  constructor(public readonly rootDir: string) {}

  /** The local path of an S3 URI (a prefix maps to a directory). */
  public pathOf(uri: string): string {
    const match = /^s3a?:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
    if (!match) {
      throw new Error(`Not an S3 URI the local runner can map to a directory: '${uri}'`);
    }
    const [, bucket, key = ''] = match;
    const resolved = path.resolve(this.rootDir, bucket, key);
    if (!resolved.startsWith(path.resolve(this.rootDir, bucket))) {
      throw new Error(`S3 key escapes its bucket: '${uri}'`);
    }
    return resolved;
  }

  /** The S3 URI of a local path under the root (the inverse of `pathOf`); undefined for a path outside it. */
  public uriOf(localPath: string): string | undefined {
    const relative = path.relative(this.rootDir, localPath);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    const [bucket, ...key] = relative.split(path.sep);
    return `s3://${bucket}/${key.join('/')}`;
  }

  /** ListObjectsV2: the keys under a prefix in UTF-8 binary order, a page at a time. */
  public listObjectsV2(input: ListObjectsV2Input): ListObjectsV2Output {
    const unsupported = Object.keys(input).filter((name) => !LIST_PARAMETERS.has(name));
    if (unsupported.length > 0) {
      throw new Error(`The local runner's S3 ListObjectsV2 does not support ${unsupported.join(', ')}`);
    }
    const bucketDir = this.bucketDir(input.Bucket);
    const prefix = input.Prefix ?? '';
    const maxKeys = input.MaxKeys === undefined ? S3_MAX_KEYS : Number(input.MaxKeys);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) {
      throw new S3Error('InvalidArgument', `Provided max-keys not an integer or within integer range: ${input.MaxKeys}`);
    }
    const after = input.ContinuationToken !== undefined ? keyOfToken(input.ContinuationToken) : input.StartAfter;

    // Only the directory that the prefix's complete segments name can hold its keys.
    const prefixDir = path.join(bucketDir, prefix.slice(0, prefix.lastIndexOf('/') + 1));
    const keys = (isWithin(prefixDir, bucketDir) ? filesUnder(prefixDir) : [])
      .map((file) => path.relative(bucketDir, file).split(path.sep).join('/'))
      .filter((key) => key.startsWith(prefix) && (after === undefined || compareKeys(key, after) > 0))
      .sort(compareKeys);
    const page = keys.slice(0, Math.min(maxKeys, S3_MAX_KEYS));
    const isTruncated = page.length > 0 && keys.length > page.length;

    return {
      Name: input.Bucket,
      Prefix: prefix,
      KeyCount: page.length,
      MaxKeys: maxKeys,
      IsTruncated: isTruncated,
      ...(page.length > 0 ? { Contents: page.map((key) => this.objectOf(bucketDir, key)) } : {}),
      ...(input.ContinuationToken !== undefined ? { ContinuationToken: input.ContinuationToken } : {}),
      ...(isTruncated ? { NextContinuationToken: tokenOfKey(page[page.length - 1]) } : {}),
      ...(input.StartAfter !== undefined ? { StartAfter: input.StartAfter } : {}),
    };
  }

  /**
   * DeleteObjects: deletes up to 1000 keys; a key without an object counts as deleted, as in S3.
   * Directories left empty are removed, since an empty directory is no object.
   */
  public deleteObjects(input: DeleteObjectsInput): DeleteObjectsOutput {
    const bucketDir = this.bucketDir(input.Bucket);
    const objects = input.Delete?.Objects;
    if (!Array.isArray(objects) || objects.length === 0 || objects.length > S3_MAX_KEYS) {
      throw new S3Error('MalformedXML',
        `The XML you provided was not well-formed or did not validate against our published schema (Delete.Objects must list 1 to ${S3_MAX_KEYS} keys, got ${Array.isArray(objects) ? objects.length : 'none'})`);
    }
    const deleted: Array<{ Key: string }> = [];
    const errors: NonNullable<DeleteObjectsOutput['Errors']> = [];
    for (const { Key: key, VersionId: versionId } of objects) {
      // The local buckets are unversioned: only the null version exists.
      if (versionId !== undefined && versionId !== 'null') {
        errors.push({ Key: key, VersionId: versionId, Code: 'NoSuchVersion', Message: 'The specified version does not exist.' });
        continue;
      }
      const file = this.fileOf(bucketDir, key);
      try {
        if (file && fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
          fs.unlinkSync(file);
          removeEmptyDirectories(path.dirname(file), bucketDir);
        }
        deleted.push({ Key: key });
      } catch (error) {
        errors.push({ Key: key, Code: 'InternalError', Message: (error as Error).message });
      }
    }
    return {
      ...(input.Delete.Quiet === true ? {} : { Deleted: deleted }),
      ...(errors.length > 0 ? { Errors: errors } : {}),
    };
  }

  private bucketDir(bucket: string): string {
    const directory = this.pathOf(`s3://${bucket}`);
    if (!fs.statSync(directory, { throwIfNoEntry: false })?.isDirectory()) {
      throw new S3Error('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
    }
    return directory;
  }

  /** The file of a key, or undefined when no file can hold that exact key. */
  private fileOf(bucketDir: string, key: string): string | undefined {
    const file = path.resolve(bucketDir, key);
    return path.relative(bucketDir, file).split(path.sep).join('/') === key ? file : undefined;
  }

  private objectOf(bucketDir: string, key: string): S3Object {
    const file = path.join(bucketDir, ...key.split('/'));
    const stat = fs.statSync(file);
    return {
      Key: key,
      Size: stat.size,
      ETag: `"${createHash('md5').update(fs.readFileSync(file)).digest('hex')}"`,
      LastModified: stat.mtime.toISOString(),
      StorageClass: 'STANDARD',
    };
  }
}

/** S3 orders keys by their UTF-8 bytes, which differs from JavaScript's UTF-16 order above U+FFFF. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A continuation token names the last key of its page (S3's are opaque too). */
function tokenOfKey(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64');
}

function keyOfToken(token: string): string {
  const key = Buffer.from(token, 'base64').toString('utf8');
  if (token === '' || tokenOfKey(key) !== token) {
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect');
  }
  return key;
}

function filesUnder(directory: string): string[] {
  if (!fs.statSync(directory, { throwIfNoEntry: false })?.isDirectory()) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory()) return filesUnder(entryPath);
    return entry.isFile() ? [entryPath] : [];
  });
}

function removeEmptyDirectories(directory: string, bucketDir: string): void {
  let current = directory;
  while (current !== bucketDir && isWithin(current, bucketDir) && fs.readdirSync(current).length === 0) {
    fs.rmdirSync(current);
    current = path.dirname(current);
  }
}

function isWithin(candidate: string, directory: string): boolean {
  return candidate === directory || candidate.startsWith(directory + path.sep);
}
