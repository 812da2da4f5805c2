// Joins argv into one shell-readable string for display (`bash -lc 'ls -la'`), quoting only what needs it.

const SAFE = /^[A-Za-z0-9_\-+=@%/:.,]+$/;

export function shellJoin(argv: readonly string[]): string {
  return argv.map((arg) => (SAFE.test(arg) ? arg : `'${arg.replaceAll("'", `'"'"'`)}'`)).join(' ');
}
