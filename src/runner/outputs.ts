// After a job ends: the files of its work directory that match its `outputs` globs go into the blob store and
// a manifest (itself a blob) lists them. Only regular files, opened without following symlinks, so a job
// cannot make the runner read host files by leaving a symlink behind.

import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { globToRegExp, matchesAny } from './glob.js';
import type { BlobStore } from './store/blobs.js';

export const MAX_ARTIFACT_FILES = 1000;
export const MAX_ARTIFACT_BYTES = 100 * 1024 * 1024;
const MAX_WALK_ENTRIES = 50_000;

export interface ArtifactEntry {
  path: string;
  size: number;
  sha256?: string;
  mime: string;
  skipped?: 'too_large' | 'too_many';
}

const MIME_BY_EXT: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  csv: 'text/csv',
  js: 'text/javascript',
  ts: 'text/plain',
  py: 'text/x-python',
  sh: 'text/x-shellscript',
  png: 'image/png',
  jpg: 'image/jpeg',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  zip: 'application/zip',
};

export function mimeOf(path: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return MIME_BY_EXT[ext] ?? 'application/octet-stream';
}

async function walk(root: string, rel: string, out: string[], budget: { left: number }): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(join(root, rel))).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (--budget.left < 0) return;
    const path = rel ? `${rel}/${name}` : name;
    const info = await lstat(join(root, path)).catch(() => undefined);
    if (info?.isDirectory()) await walk(root, path, out, budget);
    else if (info?.isFile()) out.push(path);
  }
}

async function storeFile(blobs: BlobStore, path: string): Promise<{ digest: string; size: number }> {
  // O_NOFOLLOW: the path was a regular file when listed; refuse it if it has become a symlink since.
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const data = await handle.readFile();
    return { digest: await blobs.put(data), size: data.length };
  } finally {
    await handle.close();
  }
}

/** Collects the matching files; returns the manifest's digest and the number of stored artifacts. */
export async function collectOutputs(
  workdir: string,
  globs: string[],
  blobs: BlobStore,
): Promise<{ manifest?: string; count: number }> {
  if (globs.length === 0) return { count: 0 };
  const patterns = globs.map(globToRegExp);
  const files: string[] = [];
  await walk(workdir, '', files, { left: MAX_WALK_ENTRIES });
  const entries: ArtifactEntry[] = [];
  let stored = 0;
  for (const path of files.filter((file) => matchesAny(file, patterns))) {
    const info = await lstat(join(workdir, path));
    const mime = mimeOf(path);
    if (stored >= MAX_ARTIFACT_FILES) entries.push({ path, size: info.size, mime, skipped: 'too_many' });
    else if (info.size > MAX_ARTIFACT_BYTES)
      entries.push({ path, size: info.size, mime, skipped: 'too_large' });
    else {
      const { digest, size } = await storeFile(blobs, join(workdir, path));
      entries.push({ path, size, sha256: digest, mime });
      stored++;
    }
  }
  const manifest = await blobs.put(Buffer.from(JSON.stringify({ artifacts: entries })));
  return { manifest, count: entries.length };
}

export async function readManifest(blobs: BlobStore, digest: string): Promise<ArtifactEntry[]> {
  const parsed = JSON.parse((await blobs.read(digest)).toString('utf8')) as { artifacts: ArtifactEntry[] };
  return parsed.artifacts;
}
