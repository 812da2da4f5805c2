// Which directories a policy lets a command write, and which paths inside them stay read-only. The list of
// candidates is pure; resolving them (realpath, existence, `.git` files pointing at a worktree's gitdir)
// reads the filesystem.

import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { SandboxPolicy } from '../protocol/policy.js';
import { PROTECTED_NAMES } from './protected-names.js';

export interface WritableRoot {
  root: string;
  /** Absolute paths under (or pointed to from) `root` that must stay read-only. */
  readOnlySubpaths: string[];
}

/** The policy's writable roots before touching the filesystem: cwd, configured roots, /tmp and $TMPDIR. */
export function candidateWritableRoots(
  policy: SandboxPolicy,
  cwd: string,
  tmpdir: string | undefined,
): string[] {
  if (policy.type !== 'workspace-write') return [];
  const roots = [cwd, ...policy.writableRoots];
  if (!policy.excludeSlashTmp) roots.push('/tmp');
  if (!policy.excludeTmpdirEnvVar && tmpdir) roots.push(tmpdir);
  return roots.map((r) => resolve(cwd, r));
}

/** The workspace and the configured writable roots (not /tmp or $TMPDIR), real and existing. */
export function projectRoots(policy: SandboxPolicy, cwd: string): string[] {
  if (policy.type !== 'workspace-write') return [];
  return [cwd, ...policy.writableRoots]
    .map((r) => realDir(resolve(cwd, r)))
    .filter((r): r is string => r !== undefined);
}

function realDir(path: string): string | undefined {
  try {
    const real = realpathSync(path);
    return statSync(real).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The protected paths under one root; a `.git` *file* (worktree, submodule) also protects its gitdir. */
export function protectedSubpaths(root: string): string[] {
  const out: string[] = [];
  for (const name of PROTECTED_NAMES) {
    const path = join(root, name);
    if (!exists(path)) continue;
    const real = realpathSync(path);
    out.push(real);
    if (name === '.git' && statSync(real).isFile()) {
      const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(real, 'utf8'));
      if (match) {
        const gitdir = isAbsolute(match[1]) ? match[1] : resolve(root, match[1]);
        const realGitdir = realDir(gitdir);
        if (realGitdir) out.push(realGitdir);
      }
    }
  }
  return out;
}

/**
 * Existing writable roots, canonicalised and de-duplicated, each with its protected subpaths. Missing roots
 * are skipped: nothing can be created there anyway, since their parent is read-only.
 */
export function resolveWritableRoots(
  policy: SandboxPolicy,
  cwd: string,
  tmpdir: string | undefined,
): WritableRoot[] {
  const seen = new Set<string>();
  const roots: WritableRoot[] = [];
  for (const candidate of candidateWritableRoots(policy, cwd, tmpdir)) {
    const root = realDir(candidate);
    if (!root || seen.has(root)) continue;
    seen.add(root);
    roots.push({ root, readOnlySubpaths: protectedSubpaths(root) });
  }
  return roots;
}
