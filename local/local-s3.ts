import * as path from 'node:path';

/** Where an `s3://bucket/key` URI lives on local disk: `<root>/<bucket>/<key>`. */
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
}
