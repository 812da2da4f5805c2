// `conduit sandbox [--policy P] [--add-dir D]… [--network] -- CMD…`: runs one command under a sandbox policy
// with the terminal attached, for debugging policies, and exits with the command's exit code.

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import {
  createEnv,
  DEFAULT_SHELL_ENVIRONMENT_POLICY,
  prepareSandboxedCommand,
  SANDBOX_MODES,
  type SandboxMode,
  type SandboxPolicy,
  UserError,
} from '../index.js';

export interface SandboxCommandOptions {
  policy: string;
  addDir: string[];
  network: boolean;
}

export function sandboxPolicyFromFlags(opts: SandboxCommandOptions, cwd: string): SandboxPolicy {
  if (!SANDBOX_MODES.includes(opts.policy as SandboxMode)) {
    throw new UserError(
      `--policy: unknown sandbox policy "${opts.policy}" (expected one of ${SANDBOX_MODES.join(', ')})`,
    );
  }
  const mode = opts.policy as SandboxMode;
  if (mode !== 'workspace-write' && (opts.addDir.length > 0 || opts.network)) {
    throw new UserError(`--add-dir and --network need --policy workspace-write (got ${mode})`);
  }
  if (mode !== 'workspace-write') return { type: mode };
  return {
    type: 'workspace-write',
    writableRoots: opts.addDir.map((d) => resolve(cwd, d)),
    networkAccess: opts.network,
    excludeSlashTmp: false,
    excludeTmpdirEnvVar: false,
  };
}

export async function runSandboxCommand(command: string[], opts: SandboxCommandOptions): Promise<never> {
  if (command.length === 0) throw new UserError('conduit sandbox: give the command to run after `--`');
  const cwd = process.cwd();
  const policy = sandboxPolicyFromFlags(opts, cwd);
  const env = createEnv(DEFAULT_SHELL_ENVIRONMENT_POLICY, policy, process.env);
  const prepared = await prepareSandboxedCommand({
    params: { command, cwd, env },
    policy,
    sandbox: 'platform',
  });
  const [program, ...args] = prepared.argv;
  const child = spawn(program, args, {
    cwd,
    env: prepared.env,
    stdio: ['inherit', 'inherit', 'inherit', ...prepared.fdPayloads.map(() => 'pipe' as const)],
  });
  prepared.fdPayloads.forEach((payload, i) => {
    const pipe = child.stdio[3 + i] as Writable | null;
    pipe?.on('error', () => {});
    pipe?.end(payload);
  });
  // Passed on rather than dying of them: exiting through process.exit removes the directories that stood
  // in for missing protected names (sandbox/mount-points.ts).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((done, fail) => {
    child.on('error', (err) =>
      fail(new UserError(`conduit sandbox: cannot run ${command[0]}: ${err.message}`, 127)),
    );
    child.on('exit', (exitCode, signal) =>
      done(exitCode ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)),
    );
  });
  process.exit(code);
}
