// Writes a resolved patch to disk, all or nothing. Phase one stages every new content in a temporary file
// beside its target (so the final rename stays on one filesystem and is atomic); nothing visible changes
// yet. Phase two renames the temporaries into place and removes deleted files. If anything fails, every
// step already taken is undone from the contents held in memory.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PatchApplyError } from './errors.js';
import type { PlannedFile } from './plan.js';

interface Staged {
  file: PlannedFile;
  tempPath: string;
}

/** What happened to one file, reported per file by the sandboxed writer. */
export interface CommittedFile {
  path: string;
  action: 'write' | 'delete';
}

export async function commitPlan(files: Iterable<PlannedFile>): Promise<CommittedFile[]> {
  const changed = [...files].filter((f) => f.after !== f.before);
  const createdDirs: string[] = [];
  const staged: Staged[] = [];
  try {
    for (const file of changed) {
      if (file.after === null) continue;
      const made = await mkdir(dirname(file.realPath), { recursive: true });
      if (made) createdDirs.push(made);
      staged.push({ file, tempPath: await stageContent(file.realPath, file.after) });
    }
  } catch (err) {
    await Promise.all(staged.map((s) => rm(s.tempPath, { force: true })));
    await removeDirs(createdDirs);
    throw writeError(err);
  }

  const done: PlannedFile[] = [];
  try {
    for (const { file, tempPath } of staged) {
      await rename(tempPath, file.realPath);
      done.push(file);
    }
    for (const file of changed) {
      if (file.after !== null) continue;
      await unlink(file.realPath);
      done.push(file);
    }
  } catch (err) {
    await rollBack(done, staged, createdDirs);
    throw writeError(err);
  }
  return changed.map((f) => ({ path: f.realPath, action: f.after === null ? 'delete' : 'write' }));
}

/** Writes `content` to a fresh temporary beside `target`, carrying over the target's permission bits. */
async function stageContent(target: string, content: string): Promise<string> {
  const tempPath = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.patch-tmp`);
  await writeFile(tempPath, content, { flag: 'wx' });
  const mode = await existingMode(target);
  if (mode !== undefined) await chmod(tempPath, mode);
  return tempPath;
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Best effort: puts back what phase two changed. Errors here are secondary to the one being reported. */
async function rollBack(done: PlannedFile[], staged: Staged[], createdDirs: string[]): Promise<void> {
  for (const file of done.reverse()) {
    try {
      if (file.before === null) await rm(file.realPath, { force: true });
      else await writeFile(file.realPath, file.before);
    } catch {
      // Keep restoring the others; the original error is what the model and the user need to see.
    }
  }
  await Promise.all(staged.map((s) => rm(s.tempPath, { force: true })));
  await removeDirs(createdDirs);
}

async function removeDirs(dirs: string[]): Promise<void> {
  for (const dir of dirs.reverse()) await rm(dir, { recursive: true, force: true });
}

function writeError(err: unknown): PatchApplyError {
  const message = err instanceof Error ? err.message : String(err);
  return new PatchApplyError(`Failed to write the patch; no file was changed: ${message}`);
}
