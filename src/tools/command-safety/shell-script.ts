// Recognises the `bash -lc "<script>"` wrapping models use, so the script inside can be judged.

import { basename } from 'node:path';

// zsh and sh scripts are judged with the bash grammar: the plain-command subset is the same in all three.
const SCRIPT_SHELLS = new Set(['bash', 'zsh', 'sh']);
const SCRIPT_FLAGS = new Set(['-c', '-lc']);

/** argv[0] without its directory (`/usr/bin/git` → `git`). */
export function programName(arg0: string): string {
  return basename(arg0);
}

/** The script of `[bash|zsh|sh, -lc|-c, script]`, or `null` when argv is not exactly that shape. */
export function shellScriptOf(argv: readonly string[]): string | null {
  if (argv.length !== 3) return null;
  const [shell, flag, script] = argv;
  return SCRIPT_SHELLS.has(programName(shell)) && SCRIPT_FLAGS.has(flag) ? script : null;
}
