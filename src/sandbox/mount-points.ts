// A protected name that does not exist yet is still protected: before a sandbox starts, an empty directory
// is created in its place on the host and bound read-only inside, so a command can neither create it nor
// put anything in it (bwrap needs a mount point that exists; an empty *directory* is what git and other
// tools treat as absent, where an empty file named `.git` breaks every git command). The directories live
// as long as this process: removing one while another sandbox of ours still runs would let the kernel
// detach that sandbox's mount, and the name would be creatable again. They are removed at exit when still
// empty. Only the workspace and configured writable roots get them, not /tmp or $TMPDIR.

import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROTECTED_NAMES } from './protected-names.js';

const created = new Set<string>();

function removeCreated(): void {
  for (const path of created) {
    try {
      rmdirSync(path);
    } catch {
      // Not empty (the user put something there since) or already gone: leave it.
    }
  }
  created.clear();
}

/**
 * Creates an empty directory for every protected name missing under `root`, so that the sandbox binds it
 * read-only like an existing one. A name that cannot be created (a read-only or foreign-owned root) cannot
 * be created from inside the sandbox either, so that failure is not an error.
 */
export function reserveProtectedNames(root: string): void {
  for (const name of PROTECTED_NAMES) {
    const path = join(root, name);
    try {
      mkdirSync(path, { mode: 0o755 });
    } catch {
      continue; // EEXIST (protected as it is), or not creatable by us nor by the sandbox
    }
    if (created.size === 0) process.once('exit', removeCreated);
    created.add(path);
  }
}
