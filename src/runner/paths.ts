// Paths a job spec names (cwd, input paths) are relative to the job's work directory and must stay inside it.

import { isAbsolute, normalize } from 'node:path';

/** A normalised relative path, or an error message naming `what`. */
export function checkRelativePath(path: string, what: string): string | { error: string } {
  if (path.includes('\0')) return { error: `${what}: contains a NUL byte` };
  if (isAbsolute(path))
    return { error: `${what} ${JSON.stringify(path)}: must be relative to the job's work directory` };
  const normal = normalize(path);
  if (normal === '..' || normal.startsWith('../'))
    return { error: `${what} ${JSON.stringify(path)}: must not leave the job's work directory` };
  return normal === '' ? '.' : normal.replace(/\/$/, '');
}
