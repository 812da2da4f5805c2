// Runs the built `conduit` binary as a child process with a private CONDUIT_HOME and no real API keys.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CONDUIT_BIN = join(import.meta.dirname, '../../../bin/conduit.js');

export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** A working directory that is a git repository (has a .git directory). */
export function gitDir(): string {
  const dir = tempDir('conduit-repo-');
  mkdirSync(join(dir, '.git'));
  return dir;
}

export function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CONDUIT_HOME: home, ...extra };
  for (const key of ['OPENAI_API_KEY', 'CODEX_API_KEY', 'CONDUIT_API_KEY', 'OPENAI_BASE_URL']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSONL (only meaningful with --json). */
  events: { type: string; [key: string]: unknown }[];
}

export function spawnConduit(args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string }): ChildProcess {
  return spawn(process.execPath, [CONDUIT_BIN, ...args], {
    env: opts.env,
    cwd: opts.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function finished(child: ChildProcess): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const events = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line));
      resolve({ code, signal, stdout, stderr, events });
    });
  });
}

/**
 * Runs conduit to the end. `input` is written to stdin and closed; without it stdin stays open (and unread),
 * as in a CI job that does not redirect it.
 */
export async function runConduit(
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; input?: string },
): Promise<RunResult> {
  const child = spawnConduit(args, opts);
  const result = finished(child);
  if (opts.input !== undefined) child.stdin?.end(opts.input);
  const done = await result;
  child.stdin?.destroy();
  return done;
}
