// A sandbox may need data on extra file descriptors (bwrap reads its seccomp program from fd 3), but a PTY
// child gets only stdin/stdout/stderr. So each payload goes to a private temp file, and a tiny `/bin/sh`
// wrapper opens them as fds 3, 4, …, deletes them, and execs the real argv.

import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FdWrappedArgv {
  argv: string[];
  /** Removes the files if the wrapper never ran (it deletes them itself once it has opened them). */
  cleanup(): Promise<void>;
}

export async function wrapWithFdFiles(argv: string[], payloads: readonly Buffer[]): Promise<FdWrappedArgv> {
  if (payloads.length === 0) return { argv, cleanup: async () => {} };
  if (payloads.length > 7) throw new Error('at most 7 fd payloads fit the single-digit fds 3–9');
  const files = payloads.map(() => join(tmpdir(), `conduit-fd-${randomUUID()}`));
  const cleanup = async () => {
    await Promise.all(files.map((file) => rm(file, { force: true })));
  };
  try {
    await Promise.all(
      payloads.map((payload, i) => writeFile(files[i], payload, { mode: 0o600, flag: 'wx' })),
    );
  } catch (err) {
    await cleanup();
    throw err;
  }
  const opens = files.map((_, i) => `exec ${3 + i}<"$1" && rm -f -- "$1" && shift`).join(' && ');
  return { argv: ['/bin/sh', '-c', `${opens} && exec "$@"`, 'sh', ...files, ...argv], cleanup };
}
