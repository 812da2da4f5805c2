// Content-addressed blob storage for inputs, artifacts and manifests: a blob's name is the sha256 of its
// bytes, so uploads are idempotent and a job's artifacts are one manifest digest. One small interface so a
// shared volume or an S3-compatible bucket can stand behind it; the directory implementation is here.

import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export interface BlobStore {
  /** Stores bytes; returns `sha256:<hex>` (the same for the same bytes, whoever stores them). */
  put(data: Buffer): Promise<string>;
  /** Stores a file's bytes without loading them all into memory. */
  putFile(path: string): Promise<{ digest: string; size: number }>;
  /** Size in bytes, or undefined when the blob is absent. */
  size(digest: string): Promise<number | undefined>;
  /** Up to `length` bytes from `offset`. Throws when the blob is absent. */
  read(digest: string, offset?: number, length?: number): Promise<Buffer>;
  /** Copies the whole blob to a file. */
  copyTo(digest: string, path: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly digest: string) {
    super(`no blob ${digest}`);
  }
}

/** Blobs under `<root>/sha256/<2 hex>/<hex>`, each written to a temporary name and renamed into place. */
export class FsBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  private pathOf(digest: string): string {
    if (!DIGEST_PATTERN.test(digest)) throw new Error(`not a blob digest: ${JSON.stringify(digest)}`);
    const hex = digest.slice('sha256:'.length);
    return join(this.root, 'sha256', hex.slice(0, 2), hex);
  }

  private async place(tmp: string, digest: string): Promise<void> {
    const target = this.pathOf(digest);
    await mkdir(join(target, '..'), { recursive: true });
    await rename(tmp, target);
  }

  private async tmpPath(): Promise<string> {
    const dir = join(this.root, 'tmp');
    await mkdir(dir, { recursive: true });
    return join(dir, randomUUID());
  }

  async put(data: Buffer): Promise<string> {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    if ((await this.size(digest)) === data.length) return digest;
    const tmp = await this.tmpPath();
    await writeFile(tmp, data);
    await this.place(tmp, digest);
    return digest;
  }

  async putFile(path: string): Promise<{ digest: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    const tmp = await this.tmpPath();
    const out = await open(tmp, 'w');
    try {
      const input = createReadStream(path);
      await pipeline(input, async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          await out.write(chunk);
        }
      });
    } finally {
      await out.close();
    }
    const digest = `sha256:${hash.digest('hex')}`;
    if ((await this.size(digest)) === size) await rm(tmp, { force: true });
    else await this.place(tmp, digest);
    return { digest, size };
  }

  async size(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(digest))).size;
    } catch {
      return undefined;
    }
  }

  async read(digest: string, offset = 0, length?: number): Promise<Buffer> {
    const path = this.pathOf(digest);
    if (offset === 0 && length === undefined) {
      try {
        return await readFile(path);
      } catch {
        throw new BlobNotFoundError(digest);
      }
    }
    const file = await open(path, 'r').catch(() => {
      throw new BlobNotFoundError(digest);
    });
    try {
      const total = (await file.stat()).size;
      const start = Math.min(offset, total);
      const count = Math.max(0, Math.min(length ?? total - start, total - start));
      const buffer = Buffer.alloc(count);
      await file.read(buffer, 0, count, start);
      return buffer;
    } finally {
      await file.close();
    }
  }

  async copyTo(digest: string, path: string): Promise<void> {
    const source = this.pathOf(digest);
    if ((await this.size(digest)) === undefined) throw new BlobNotFoundError(digest);
    await pipeline(createReadStream(source), (await open(path, 'w')).createWriteStream());
  }
}
