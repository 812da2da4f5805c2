// The bubblewrap command line for a policy. Pure, so every flag and its order is unit-tested; the facts
// behind each choice are in docs/sandbox.md (measured in shared/spec/sandbox-linux.md).

import type { WritableRoot } from './writable-roots.js';

export interface BwrapOptions {
  command: string[];
  cwd: string;
  /** Already resolved (see resolveWritableRoots); empty for read-only. */
  writableRoots: WritableRoot[];
  network: boolean;
  /** As root, bwrap needs no user namespace, and `--unshare-user-try` fails where they are blocked. */
  isRoot: boolean;
  /**
   * User namespaces work here. A root caller then gets one too: only inside a new user namespace does bwrap
   * empty the capability bounding set (`--cap-drop ALL` alone leaves root's bounding set full).
   */
  userNamespace?: boolean;
  /** False where /proc cannot be mounted (some containers); the PID namespace stays. */
  mountProc: boolean;
  /** fd from which bwrap reads a seccomp BPF program, when one is applied. */
  seccompFd?: number;
}

export function buildBwrapArgs(o: BwrapOptions): string[] {
  const args = [
    '--new-session', // setsid: no TIOCSTI injection into the caller's terminal
    '--die-with-parent',
    '--cap-drop', // without it a root caller keeps every capability and can remount / read-write
    'ALL',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
  ];
  for (const { root } of o.writableRoots) args.push('--bind', root, root);
  // After every writable bind: a later bind of a parent (e.g. /tmp) would otherwise shadow these.
  for (const { readOnlySubpaths } of o.writableRoots) {
    for (const path of readOnlySubpaths) args.push('--ro-bind', path, path);
  }
  if (!o.isRoot) args.push('--unshare-user-try');
  else if (o.userNamespace) args.push('--unshare-user');
  args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try');
  if (!o.network) args.push('--unshare-net');
  if (o.mountProc) args.push('--proc', '/proc');
  if (o.seccompFd !== undefined) args.push('--seccomp', String(o.seccompFd));
  args.push('--chdir', o.cwd, '--', ...o.command);
  return args;
}
