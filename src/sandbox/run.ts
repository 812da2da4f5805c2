// Runs a command under its policy's sandbox: bubblewrap (+ seccomp) on Linux, Seatbelt on macOS, nothing for
// danger-full-access or an approved escalation. A sandbox is an argv wrapper, so the exec engine does the rest.

import { networkDisabled } from '../exec/env.js';
import { ExecSpawnError, execCommand } from '../exec/run.js';
import type { RunSandboxed, SandboxedExecRequest, SandboxedExecResult } from '../exec/types.js';
import { buildBwrapArgs } from './bwrap-args.js';
import { isLikelySandboxDenied } from './denial.js';
import { SandboxUnavailableError } from './errors.js';
import { reserveProtectedNames } from './mount-points.js';
import { explainUnavailable, probeSandboxForCommands, SEATBELT_EXECUTABLE } from './probe.js';
import { buildSeatbeltArgv, buildSeatbeltProfile } from './seatbelt.js';
import { buildSeccompProgram } from './seccomp.js';
import { projectRoots, resolveWritableRoots } from './writable-roots.js';

/** The child's fd on which bwrap reads the seccomp program (the first fd after stdio). */
const SECCOMP_FD = 3;

export interface PreparedCommand {
  /** The argv to spawn (the command itself, or the sandbox wrapper around it). */
  argv: string[];
  env: Record<string, string>;
  /** Bytes the child must find on fds 3, 4, … (spawn with extra pipes and write these to them). */
  fdPayloads: Buffer[];
  sandbox: 'bwrap' | 'seatbelt' | 'none';
}

function unsandboxed(req: SandboxedExecRequest): boolean {
  return req.sandbox === 'none' || req.policy.type === 'danger-full-access';
}

/**
 * The argv, env and fds that run `req.params.command` under `req.policy`. Throws SandboxUnavailableError when
 * the policy needs a sandbox and none works. Exposed for callers that spawn themselves (PTY sessions, the
 * `conduit sandbox` command with an inherited terminal).
 */
export async function prepareSandboxedCommand(req: SandboxedExecRequest): Promise<PreparedCommand> {
  const { command, cwd, env } = req.params;
  if (unsandboxed(req)) return { argv: command, env, fdPayloads: [], sandbox: 'none' };
  const probe = await probeSandboxForCommands();
  if (probe.platform === 'linux' && probe.bwrap.works && probe.bwrap.path) {
    for (const root of projectRoots(req.policy, cwd)) reserveProtectedNames(root);
    const roots = resolveWritableRoots(req.policy, cwd, env.TMPDIR);
    const network = !networkDisabled(req.policy);
    const seccomp = probe.bwrap.seccomp;
    const args = buildBwrapArgs({
      command,
      cwd,
      writableRoots: roots,
      network,
      isRoot: probe.isRoot,
      userNamespace: probe.bwrap.userNamespace === true,
      mountProc: probe.bwrap.procMount,
      seccompFd: seccomp ? SECCOMP_FD : undefined,
    });
    const fdPayloads = seccomp ? [buildSeccompProgram({ network })] : [];
    return { argv: [probe.bwrap.path, ...args], env, fdPayloads, sandbox: 'bwrap' };
  }
  if (probe.platform === 'darwin' && probe.seatbelt) {
    const roots = resolveWritableRoots(req.policy, cwd, env.TMPDIR);
    const profile = buildSeatbeltProfile(req.policy, roots, env.DARWIN_USER_CACHE_DIR);
    const argv = buildSeatbeltArgv(SEATBELT_EXECUTABLE, profile, command);
    return {
      argv,
      env: { ...env, CONDUIT_SANDBOX: 'seatbelt', CODEX_SANDBOX: 'seatbelt' },
      fdPayloads: [],
      sandbox: 'seatbelt',
    };
  }
  throw new SandboxUnavailableError(
    `Cannot run commands under the ${req.policy.type} sandbox: ${explainUnavailable(probe)}`,
  );
}

/**
 * bwrap's own failures (bad cwd, missing program, namespace errors) exit 1 with a `bwrap: ` line; the
 * command cannot print before bwrap has exec'd it, so stderr starting that way is bwrap's.
 */
function bwrapSetupFailure(result: { exitCode: number; stderr: { text: string } }): string | undefined {
  if (result.exitCode !== 1 || !result.stderr.text.startsWith('bwrap: ')) return undefined;
  return result.stderr.text.slice('bwrap: '.length).trim();
}

export const runSandboxed: RunSandboxed = async (req): Promise<SandboxedExecResult> => {
  const prepared = await prepareSandboxedCommand(req);
  const result = await execCommand(
    { ...req.params, command: prepared.argv, env: prepared.env },
    { fdPayloads: prepared.fdPayloads },
  );
  const sandboxed = prepared.sandbox !== 'none';
  if (prepared.sandbox === 'bwrap') {
    const failure = bwrapSetupFailure(result);
    if (failure)
      throw new ExecSpawnError(
        `failed to start ${JSON.stringify(req.params.command[0])} in the sandbox: ${failure}`,
      );
  }
  return { ...result, sandboxDenied: isLikelySandboxDenied(result, sandboxed) };
};
