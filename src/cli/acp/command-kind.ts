// How a command shows in the editor: a title (the script the user would type, not `bash -lc '…'`), a tool
// kind (read, search or execute, from the program) and, for reads, the files it reads as locations.

import { isAbsolute, resolve } from 'node:path';
import type { ToolCallLocation, ToolKind } from '@agentclientprotocol/sdk';

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'fish']);
const READERS = new Set(['cat', 'head', 'tail', 'less', 'more', 'nl', 'wc', 'bat', 'file', 'stat']);
const SEARCHERS = new Set([
  'rg',
  'grep',
  'egrep',
  'fgrep',
  'ag',
  'ack',
  'find',
  'fd',
  'ls',
  'tree',
  'git-grep',
]);

function baseName(program: string): string {
  return program.slice(program.lastIndexOf('/') + 1);
}

/** The script of `bash -lc SCRIPT` (and friends), or undefined for a plain argv. */
export function shellScript(argv: readonly string[]): string | undefined {
  if (argv.length === 3 && SHELLS.has(baseName(argv[0])) && /^-l?c$/.test(argv[1])) return argv[2];
  return undefined;
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function commandTitle(argv: readonly string[]): string {
  return shellScript(argv) ?? argv.map(quote).join(' ');
}

/** The words of a simple command; undefined when the script has pipes, redirections, `&&` or the like. */
function simpleWords(argv: readonly string[]): string[] | undefined {
  const script = shellScript(argv);
  if (script === undefined) return [...argv];
  if (/[|&;<>()`$\n]/.test(script) || /["'\\]/.test(script)) return undefined;
  return script.trim().split(/\s+/);
}

export function commandKind(argv: readonly string[]): ToolKind {
  const words = simpleWords(argv);
  const first = words?.[0] ?? shellScript(argv)?.trim().split(/\s+/)[0];
  if (!first) return 'execute';
  const program = baseName(first);
  if (words && READERS.has(program)) return 'read';
  if (words && (SEARCHERS.has(program) || (program === 'git' && words[1] === 'grep'))) return 'search';
  if (words && program === 'sed' && words[1] === '-n') return 'read';
  return 'execute';
}

/** The files a reading command names (its non-option arguments), absolute. */
export function commandLocations(argv: readonly string[], cwd: string): ToolCallLocation[] {
  if (commandKind(argv) !== 'read') return [];
  const words = simpleWords(argv) ?? [];
  const program = baseName(words[0] ?? '');
  // Options, and the values of the ones that take one (`head -n 5`), are not files.
  const args = words
    .slice(1)
    .filter((word, i, all) => !word.startsWith('-') && !/^-[nce]$/.test(all[i - 1] ?? ''));
  // `sed -n 1,20p FILE`: the first argument is the script.
  const files = program === 'sed' ? args.slice(1) : args;
  return files.map((file) => ({ path: isAbsolute(file) ? file : resolve(cwd, file) }));
}
