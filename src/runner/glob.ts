// Output globs: `*` (within one path segment), `**` (any number of segments) and `?`. Hand-written because
// the only Node built-in (path.matchesGlob) is experimental on Node 20 and prints a warning, and a job's
// output list needs nothing beyond these three.

function escapeChar(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      out += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += escapeChar(ch);
  }
  return new RegExp(`^${out}$`);
}

export function matchesAny(path: string, globs: RegExp[]): boolean {
  return globs.some((glob) => glob.test(path));
}
