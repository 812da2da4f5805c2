// The session's memory of `approved_for_session` answers. Approving a command for the session approves
// its *scope*, not just the exact string, so the user is not asked again for `git commit -m "next"`.
//
// The scope rule, on the parsed command (a `bash -lc` script is split into its plain commands):
// - Each plain command that is not known-safe gets a rule. For a program that takes subcommands (git, npm,
//   cargo, make… see SUBCOMMAND_PROGRAMS) the rule is a prefix: the program and up to two leading
//   subcommand words (`git commit`, `npm run build`, `docker compose up`); any later arguments may differ.
//   Any other program (rm, python, curl…) is approved for its exact argv only, since there the arguments
//   are the action.
// - A later command is covered when every plain command in it is known-safe or matches a rule.
// - Commands that are dangerous, scripts that are more than plain commands (redirections, `$(…)`…), and
//   commands made only of known-safe parts are only ever covered by an approval of the identical argv.
// - An approval to run outside the sandbox also covers sandboxed runs; not the other way round.
// Rules hold for the whole session, whatever the working directory.

import type { CommandAssessment } from '../command-safety/index.js';
import { programName } from '../command-safety/shell-script.js';

const SUBCOMMAND_PROGRAMS = new Set([
  'git',
  'npm',
  'pnpm',
  'yarn',
  'bun',
  'npx',
  'deno',
  'cargo',
  'rustup',
  'go',
  'make',
  'cmake',
  'docker',
  'podman',
  'kubectl',
  'helm',
  'pip',
  'pip3',
  'uv',
  'poetry',
  'pipenv',
  'gradle',
  'mvn',
  'dotnet',
  'swift',
  'gh',
  'terraform',
  'apt',
  'apt-get',
  'brew',
  'systemctl',
  'just',
  'bundle',
  'rake',
  'composer',
]);
const SUBCOMMAND_WORD = /^[A-Za-z][A-Za-z0-9_:-]*$/;
const MAX_SUBCOMMAND_WORDS = 2;

/** What the cache needs to know about a command (an assessment from command-safety, plus the argv). */
export interface ExecScopeInput {
  argv: readonly string[];
  assessment: Pick<CommandAssessment, 'dangerous' | 'unsafeCommands'>;
  /** The run is (or would be) outside the sandbox. */
  unsandboxed: boolean;
}

type Rule = { kind: 'prefix'; words: string[] } | { kind: 'exact'; argv: string[] };

export class ApprovalCache {
  private readonly sandboxedRules = new Map<string, Rule>();
  private readonly unsandboxedRules = new Map<string, Rule>();
  private readonly keys = new Set<string>();

  /** True when an earlier `approved_for_session` covers this command. */
  isExecApproved(input: ExecScopeInput): boolean {
    const pieces = piecesToMatch(input);
    return pieces.every((piece) => this.covers(piece, input.unsandboxed));
  }

  /** Remembers an `approved_for_session` answer for the command's scope. */
  approveExec(input: ExecScopeInput): void {
    const rules = this.unsandboxed(input.unsandboxed);
    for (const rule of scopeRules(input)) rules.set(JSON.stringify(rule), rule);
  }

  /** The scope an approval for the session would cover, for front ends to show (`git commit …`). */
  describeScope(input: ExecScopeInput): string[] {
    return scopeRules(input).map((rule) =>
      rule.kind === 'prefix' ? `${rule.words.join(' ')} …` : rule.argv.join(' '),
    );
  }

  /** Exact keys for approvals that have no scope (a patch: `{patch, cwd}` as JSON). */
  isApproved(key: string): boolean {
    return this.keys.has(key);
  }

  approve(key: string): void {
    this.keys.add(key);
  }

  private unsandboxed(unsandboxed: boolean): Map<string, Rule> {
    return unsandboxed ? this.unsandboxedRules : this.sandboxedRules;
  }

  private covers(piece: Piece, unsandboxed: boolean): boolean {
    const pools = unsandboxed ? [this.unsandboxedRules] : [this.sandboxedRules, this.unsandboxedRules];
    return pools.some((rules) => [...rules.values()].some((rule) => ruleMatches(rule, piece)));
  }
}

/** A command to match: one plain command that may match a prefix, or a whole argv that needs an exact rule. */
type Piece = { argv: string[]; exactOnly: boolean };

function piecesToMatch(input: ExecScopeInput): Piece[] {
  const { assessment } = input;
  // A command made only of known-safe parts still needs an approval when it escalates or was denied by the
  // sandbox; that approval is for exactly this command.
  const parts = assessment.unsafeCommands;
  if (assessment.dangerous || parts === null || parts.length === 0)
    return [{ argv: [...input.argv], exactOnly: true }];
  return parts.map((argv) => ({ argv, exactOnly: false }));
}

function scopeRules(input: ExecScopeInput): Rule[] {
  return piecesToMatch(input).map((piece) => {
    if (piece.exactOnly) return { kind: 'exact', argv: piece.argv };
    const words = prefixWords(piece.argv);
    return words ? { kind: 'prefix', words } : { kind: 'exact', argv: piece.argv };
  });
}

/** `[program, sub, sub]` for a subcommand program called with a subcommand; `null` when it has none. */
function prefixWords(argv: readonly string[]): string[] | null {
  const program = programName(argv[0]);
  if (!SUBCOMMAND_PROGRAMS.has(program)) return null;
  const words = [program];
  for (const arg of argv.slice(1, 1 + MAX_SUBCOMMAND_WORDS)) {
    if (!SUBCOMMAND_WORD.test(arg)) break;
    words.push(arg);
  }
  return words.length > 1 ? words : null;
}

function ruleMatches(rule: Rule, piece: Piece): boolean {
  if (rule.kind === 'exact') return sameArgv(rule.argv, piece.argv);
  if (piece.exactOnly || piece.argv.length < rule.words.length) return false;
  return rule.words.every((word, i) =>
    i === 0 ? programName(piece.argv[0]) === word : piece.argv[i] === word,
  );
}

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, i) => word === b[i]);
}
