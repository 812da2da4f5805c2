// Where a patch may write without asking. Paths are judged by where the write would really land: `..` and
// symlinks are resolved component by component, as the kernel would, so neither can smuggle a write out of
// the writable roots. The applier then writes to exactly the resolved path it was judged on.

import { lstat, readlink } from 'node:fs/promises';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { SandboxPolicy } from '../../protocol/policy.js';
import { isProtectedName } from '../../sandbox/protected-names.js';
import { PatchApplyError } from './errors.js';

const MAX_SYMLINK_HOPS = 40;

/** `everything` under danger-full-access; otherwise the real paths of the roots a patch may write in. */
export async function writableRootsFor(
  policy: SandboxPolicy,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[] | 'everything'> {
  if (policy.type === 'danger-full-access') return 'everything';
  if (policy.type === 'read-only') return [];
  const roots = [cwd, ...policy.writableRoots];
  if (!policy.excludeSlashTmp) roots.push('/tmp');
  if (!policy.excludeTmpdirEnvVar && env.TMPDIR) roots.push(env.TMPDIR);
  const real = await Promise.all(roots.map((root) => realPathOf(resolve(cwd, root))));
  return [...new Set(real)];
}

/**
 * The path a write to `path` (relative to `cwd`) would really create or replace: symlinks followed, `..`
 * applied after them. Components past the first missing one are kept as written.
 */
export async function realPathOf(path: string, cwd = '/'): Promise<string> {
  return resolveFrom('/', splitPath(isAbsolute(path) ? path : `${cwd}/${path}`), 0, path);
}

async function resolveFrom(base: string, parts: string[], hops: number, original: string): Promise<string> {
  let current = base;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '.') continue;
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = current === '/' ? `/${part}` : `${current}/${part}`;
    let stat: Awaited<ReturnType<typeof lstat>>;
    try {
      stat = await lstat(next);
    } catch (err) {
      if (isMissing(err)) return [next, ...parts.slice(i + 1)].reduce((acc, p) => resolve(acc, p));
      throw err;
    }
    if (!stat.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (hops >= MAX_SYMLINK_HOPS)
      throw new PatchApplyError(`too many levels of symbolic links in ${original}`);
    const target = await readlink(next);
    const targetParts = splitPath(target);
    current = await resolveFrom(isAbsolute(target) ? '/' : current, targetParts, hops + 1, original);
  }
  return current;
}

function splitPath(path: string): string[] {
  return path.split(sep).filter((p) => p !== '');
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** True when `realPath` lies in one of the roots and not inside a protected directory of that root. */
export function isWritablePath(realPath: string, roots: readonly string[] | 'everything'): boolean {
  if (roots === 'everything') return true;
  return roots.some((root) => {
    if (realPath !== root && !realPath.startsWith(root === '/' ? '/' : `${root}/`)) return false;
    const firstSegment = realPath
      .slice(root.length)
      .split('/')
      .find((p) => p !== '');
    // The sandbox's list: these stay read-only inside a writable root, even before they exist.
    return firstSegment === undefined || !isProtectedName(firstSegment);
  });
}
