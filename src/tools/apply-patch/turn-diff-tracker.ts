// The diff of everything one turn changed through apply_patch. Each file's content is remembered the first
// time a patch touches it in the turn; at the end the tracker diffs those originals against what is on
// disk now, so several patches to one file collapse into one diff (and later edits by other means show).

import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { gitStyleDiff } from './diff.js';

export class TurnDiffTracker {
  private readonly originals = new Map<string, string | null>();

  /** `displayRoot`: paths inside it are shown relative to it (normally the session's cwd). */
  constructor(private readonly displayRoot: string) {}

  /** Called before a patch is written, with each touched file's real path and current content (`null` = absent). */
  recordOriginals(files: Iterable<{ realPath: string; before: string | null }>): void {
    for (const { realPath, before } of files) {
      if (!this.originals.has(realPath)) this.originals.set(realPath, before);
    }
  }

  /** The unified diff of the turn's changes, or `undefined` when nothing differs any more. */
  async unifiedDiff(): Promise<string | undefined> {
    const parts: string[] = [];
    for (const path of [...this.originals.keys()].sort()) {
      const before = this.originals.get(path) ?? null;
      const after = await readOrNull(path);
      if (before === after) continue;
      parts.push(gitStyleDiff(this.displayPath(path), before, after));
    }
    return parts.length > 0 ? parts.join('') : undefined;
  }

  private displayPath(path: string): string {
    const rel = relative(this.displayRoot, path);
    return rel === '' || rel === '..' || rel.startsWith('../') || isAbsolute(rel) ? path : rel;
  }
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}
