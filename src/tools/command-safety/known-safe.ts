// Commands that only read: under `untrusted` they run without asking. The list follows the reference (§9);
// a command is judged on its argv, and `bash -lc` scripts on their parsed commands.

import type { BashParser } from './bash-parser.js';
import { programName, shellScriptOf } from './shell-script.js';

const ALWAYS_SAFE = new Set([
  'cat',
  'cd',
  'echo',
  'false',
  'grep',
  'head',
  'ls',
  'nl',
  'pwd',
  'tail',
  'true',
  'wc',
  'which',
]);

// `find` options that run programs, delete files or write files.
const FIND_UNSAFE = new Set([
  '-exec',
  '-execdir',
  '-ok',
  '-okdir',
  '-delete',
  '-fls',
  '-fprint',
  '-fprint0',
  '-fprintf',
]);

// `rg` options that run programs (`--pre`, `--hostname-bin`) or decompressors (`-z`, `--search-zip`).
const RG_UNSAFE_EXACT = new Set(['--search-zip', '-z']);
const RG_UNSAFE_WITH_VALUE = ['--pre', '--hostname-bin'];

const GIT_READ_SUBCOMMANDS = new Set(['branch', 'status', 'log', 'diff', 'show']);
// `git branch` also creates, renames and deletes; only its listing forms are read-only.
const GIT_BRANCH_LISTING_FLAGS = new Set([
  '-a',
  '-r',
  '-l',
  '-v',
  '-vv',
  '--all',
  '--remotes',
  '--list',
  '--verbose',
  '--show-current',
]);

const SED_PRINT_RANGE = /^(\d+,)?\d+p$/;

/** True when `argv` (or every command of its `bash -lc` script) is known to only read. */
export function isKnownSafeCommand(argv: readonly string[], parser: BashParser): boolean {
  const script = shellScriptOf(argv);
  if (script !== null) {
    const commands = parser.parse(script)?.plainCommands;
    return commands?.every(isKnownSafeArgv) ?? false;
  }
  return isKnownSafeArgv(argv);
}

function isKnownSafeArgv(argv: readonly string[]): boolean {
  if (argv.length === 0) return false;
  const program = programName(argv[0]);
  const args = argv.slice(1);
  if (ALWAYS_SAFE.has(program)) return true;
  switch (program) {
    case 'find':
      return !args.some((arg) => FIND_UNSAFE.has(arg));
    case 'rg':
      return !args.some(
        (arg) =>
          RG_UNSAFE_EXACT.has(arg) ||
          RG_UNSAFE_WITH_VALUE.some((opt) => arg === opt || arg.startsWith(`${opt}=`)),
      );
    case 'git':
      return isReadOnlyGit(args);
    case 'cargo':
      return args[0] === 'check';
    case 'sed':
      return argv.length <= 4 && args[0] === '-n' && args[1] !== undefined && SED_PRINT_RANGE.test(args[1]);
    default:
      return false;
  }
}

function isReadOnlyGit(args: readonly string[]): boolean {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || !GIT_READ_SUBCOMMANDS.has(subcommand)) return false;
  // `--output` writes a file and `--ext-diff` runs a configured program, whatever the subcommand.
  if (rest.some((arg) => arg.startsWith('--output') || arg === '--ext-diff')) return false;
  if (subcommand === 'branch') return rest.every((arg) => GIT_BRANCH_LISTING_FLAGS.has(arg));
  return true;
}
