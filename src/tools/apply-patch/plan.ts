// Resolves a parsed patch against the files on disk entirely in memory: every hunk of every file is read,
// located and rewritten here, so a failure anywhere happens before a single byte is written. Later hunks
// see earlier ones' results (a file added and then updated in the same patch works).

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FileChange } from '../../protocol/tool-events.js';
import { updateUnifiedDiff } from './diff.js';
import { PatchApplyError } from './errors.js';
import { realPathOf } from './path-safety.js';
import type { ParsedPatch } from './types.js';
import { applyChunks } from './update.js';

/** One file's state before and after the patch; `null` = the file does not exist. */
export interface PlannedFile {
  /** The real path the write lands on (symlinks resolved). */
  realPath: string;
  before: string | null;
  after: string | null;
}

export interface PatchSummary {
  added: string[];
  modified: string[];
  deleted: string[];
}

export interface PatchPlan {
  /** Final state of every file the patch touches, keyed by real path. */
  files: Map<string, PlannedFile>;
  /** What the patch does, keyed by absolute path (as the user would name it), for approval and events. */
  changes: Record<string, FileChange>;
  /** Paths as written in the patch, for the `A`/`M`/`D` success output. */
  summary: PatchSummary;
}

/** Reads a file's current text (`null` = absent); an editor front end reads its unsaved buffers instead of the disk. */
export type PatchFileReader = (realPath: string) => Promise<string | null>;

export async function planPatch(
  parsed: ParsedPatch,
  cwd: string,
  read: PatchFileReader = readFromDisk,
): Promise<PatchPlan> {
  const files = new Map<string, PlannedFile>();
  const changes: Record<string, FileChange> = {};
  const summary: PatchSummary = { added: [], modified: [], deleted: [] };

  const entry = async (path: string): Promise<PlannedFile> => {
    const realPath = await realPathOf(path, cwd);
    let file = files.get(realPath);
    if (!file) {
      const before = await readExisting(read, realPath, path);
      file = { realPath, before, after: before };
      files.set(realPath, file);
    }
    return file;
  };

  for (const hunk of parsed.hunks) {
    const absolute = resolve(cwd, hunk.path);
    if (hunk.type === 'add') {
      const file = await entry(hunk.path);
      file.after = hunk.contents;
      changes[absolute] = { type: 'add', content: hunk.contents };
      summary.added.push(hunk.path);
    } else if (hunk.type === 'delete') {
      const file = await entry(hunk.path);
      if (file.after === null)
        throw new PatchApplyError(`Failed to delete ${hunk.path}: the file does not exist`);
      changes[absolute] = { type: 'delete', content: file.after };
      file.after = null;
      summary.deleted.push(hunk.path);
    } else {
      const source = await entry(hunk.path);
      if (source.after === null)
        throw new PatchApplyError(`Failed to update ${hunk.path}: the file does not exist`);
      const original = source.after;
      const result = applyChunks(original, hunk.chunks, hunk.path);
      const updated = result.content;
      const unified = updateUnifiedDiff(original, result);
      if (hunk.movePath === undefined) {
        source.after = updated;
        changes[absolute] = { type: 'update', unified_diff: unified };
        summary.modified.push(hunk.path);
      } else {
        const destination = await entry(hunk.movePath);
        source.after = null;
        destination.after = updated;
        changes[absolute] = { type: 'update', unified_diff: unified, move_path: resolve(cwd, hunk.movePath) };
        summary.modified.push(hunk.movePath);
      }
    }
  }
  return { files, changes, summary };
}

async function readFromDisk(realPath: string): Promise<string | null> {
  try {
    return await readFile(realPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function readExisting(
  read: PatchFileReader,
  realPath: string,
  displayPath: string,
): Promise<string | null> {
  try {
    return await read(realPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new PatchApplyError(`${displayPath} is a directory, not a file`);
    throw new PatchApplyError(`Failed to read ${displayPath}: ${(err as Error).message}`);
  }
}
