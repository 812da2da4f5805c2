// Commands that destroy work: under `on-request` (and under danger-full-access) they are asked about before
// they run, and a session-wide approval never covers them. Judged on argv and, for `bash -lc` scripts, on
// every command anywhere in the parsed script (substitutions and subshells included), behind `sudo`, `env`,
// `xargs` and similar launchers too.

import type { BashParser } from './bash-parser.js';
import { programName, shellScriptOf } from './shell-script.js';

const DANGEROUS_GIT_SUBCOMMANDS = new Set(['reset', 'rm']);

/** True when `argv`, or any command inside its `bash -lc` script, might destroy data. */
export function isDangerousCommand(argv: readonly string[], parser: BashParser): boolean {
  if (argv.length === 0) return false;
  const script = shellScriptOf(argv);
  if (script !== null) {
    const parsed = parser.parse(script);
    // A script the grammar cannot read is judged as a whole: it may hide anything.
    if (parsed === null) return true;
    return parsed.allCommands.some((command) => isDangerousCommand(command, parser));
  }
  const program = programName(argv[0]);
  const args = argv.slice(1);
  const wrapped = LAUNCHERS[program];
  if (wrapped) return isDangerousCommand(skipOptions(args, wrapped), parser);
  switch (program) {
    case 'git':
      return args[0] !== undefined && DANGEROUS_GIT_SUBCOMMANDS.has(args[0]);
    case 'rm':
      return args.some(isForceFlag);
    default:
      return false;
  }
}

/** `-f`, `-rf`, `-fr`, `-Rf`… (any short-option cluster holding `f`) or `--force`. */
function isForceFlag(arg: string): boolean {
  return arg === '--force' || /^-[a-zA-Z]*f[a-zA-Z]*$/.test(arg);
}

// Programs that run the command given after their own options (`sudo -u root rm -rf x`, `xargs rm -rf`):
// the command they launch is judged instead. Each lists its options that take a separate value.
const LAUNCHERS: Record<string, { optionsWithValue: ReadonlySet<string>; skipsAssignments?: boolean }> = {
  sudo: { optionsWithValue: new Set(['-u', '-g', '-C', '-h', '-p', '-r', '-t', '-U', '-D']) },
  doas: { optionsWithValue: new Set(['-u', '-C']) },
  env: { optionsWithValue: new Set(['-u', '-C', '-S']), skipsAssignments: true },
  xargs: { optionsWithValue: new Set(['-I', '-n', '-P', '-L', '-s', '-d', '-E', '-a']) },
  nice: { optionsWithValue: new Set(['-n']) },
  command: { optionsWithValue: new Set() },
  exec: { optionsWithValue: new Set(['-a']) },
  nohup: { optionsWithValue: new Set() },
  time: { optionsWithValue: new Set(['-f', '-o']) },
};

function skipOptions(args: readonly string[], launcher: (typeof LAUNCHERS)[string]): string[] {
  let i = 0;
  while (i < args.length) {
    const arg = args[i];
    if (arg === '--') return args.slice(i + 1);
    if (arg.startsWith('-')) i += launcher.optionsWithValue.has(arg) ? 2 : 1;
    else if (launcher.skipsAssignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) i += 1;
    else break;
  }
  return args.slice(i);
}
