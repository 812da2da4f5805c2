// Did the sandbox (rather than the command's own logic) make a run fail? The reference's heuristic: only
// failed sandboxed runs; telltale words (and errno names) in the output; usage/not-found exit codes are
// never denials; a seccomp kill (128 + SIGSYS) is.

import { constants } from 'node:os';
import type { ExecResult } from '../exec/types.js';

export const DENIAL_PATTERNS = [
  'operation not permitted',
  'permission denied',
  'read-only file system',
  'seccomp',
  'sandbox',
  'landlock',
  'failed to write file',
];

/** Errno names as Node, Python and Go print them (`connect EPERM`, `EROFS: read-only file system`). */
const DENIAL_ERRNO = /\b(EPERM|EACCES|EROFS)\b/i;

const NOT_DENIED_EXIT_CODES = new Set([2, 126, 127]);
const SIGSYS_EXIT_CODE = 128 + constants.signals.SIGSYS;

export function isLikelySandboxDenied(result: ExecResult, sandboxed: boolean): boolean {
  if (!sandboxed || result.exitCode === 0 || result.timedOut || result.interrupted) return false;
  const output = `${result.stdout.text}\n${result.stderr.text}`.toLowerCase();
  if (DENIAL_PATTERNS.some((p) => output.includes(p)) || DENIAL_ERRNO.test(output)) return true;
  if (NOT_DENIED_EXIT_CODES.has(result.exitCode)) return false;
  return result.exitCode === SIGSYS_EXIT_CODE || result.signal === 'SIGSYS';
}
