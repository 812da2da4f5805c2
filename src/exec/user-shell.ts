// The user's shell, detected in one place: `shell_command` runs scripts through it (as the user would type
// them) and the model is told its name in the environment context.

import { userInfo } from 'node:os';
import { basename } from 'node:path';

const FALLBACK_SHELL = '/bin/bash';

/** The login shell from the passwd database (not `$SHELL`, which a parent process may have changed). */
export function detectUserShell(): string {
  try {
    return userInfo().shell || FALLBACK_SHELL;
  } catch {
    // No passwd entry for this uid (some containers).
    return FALLBACK_SHELL;
  }
}

/**
 * The argv that runs `script` in `shell`: bash and zsh as login shells (`-lc`, so the user's profile and
 * PATH apply), PowerShell with `-Command`, and any other shell through `/bin/sh -c`, since shells like fish
 * do not speak the POSIX syntax models write.
 */
export function scriptArgv(shell: string, script: string): string[] {
  const name = basename(shell).replace(/\.exe$/i, '');
  if (name === 'bash' || name === 'zsh') return [shell, '-lc', script];
  if (name === 'pwsh' || name === 'powershell') return [shell, '-NoLogo', '-Command', script];
  return ['/bin/sh', '-c', script];
}
