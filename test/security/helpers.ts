// The attack suite's wiring: the real `conduit` CLI against the fake model, run as root and, where the
// machine allows, as an unprivileged user (uid 65534 through `setpriv`), with every directory the attack
// needs owned by that user, so that a write the sandbox fails to stop would really land.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONDUIT_BIN } from '../cli/exec/helpers.js';

export const NOBODY = 65534;
const SETPRIV = '/usr/bin/setpriv';
export const PYTHON = '/usr/bin/python3';

export interface Actor {
  label: string;
  uid: number;
  /** Prefix that runs a program as this actor. */
  prefix: string[];
}

/** Root (when we are root) and an unprivileged user (when we are root and setpriv exists). */
export function actors(): { run: Actor[]; skipped: string[] } {
  const uid = process.getuid?.() ?? -1;
  const self: Actor = { label: uid === 0 ? 'root' : `uid ${uid}`, uid, prefix: [] };
  if (uid !== 0)
    return { run: [self], skipped: ['as a second, unprivileged user: the tests do not run as root'] };
  if (!existsSync(SETPRIV))
    return { run: [self], skipped: [`as an unprivileged user: ${SETPRIV} is missing`] };
  const nobody: Actor = {
    label: `unprivileged (uid ${NOBODY})`,
    uid: NOBODY,
    prefix: [SETPRIV, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'],
  };
  return { run: [self, nobody], skipped: [] };
}

/** A fresh directory under the system temp dir, owned by `actor`. */
export function ownedDir(actor: Actor, prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  if (actor.uid !== (process.getuid?.() ?? -1)) chownSync(dir, actor.uid, actor.uid);
  return dir;
}

export function ownedSubdir(actor: Actor, parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir);
  if (actor.uid !== (process.getuid?.() ?? -1)) chownSync(dir, actor.uid, actor.uid);
  return dir;
}

/** Chowns what the actor is going to need to write (for paths created after ownedDir). */
export function chownTree(actor: Actor, path: string): void {
  if (actor.uid === (process.getuid?.() ?? -1)) return;
  execFileSync('chown', ['-R', `${actor.uid}:${actor.uid}`, path]);
}

export function conduitAs(
  actor: Actor,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): ChildProcess {
  const argv = [...actor.prefix, process.execPath, CONDUIT_BIN, ...args];
  return spawn(argv[0], argv.slice(1), { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  events: { type: string; item?: Record<string, unknown> }[];
}

export function finish(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const events = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line));
      resolve({ code, stdout, stderr, events });
    });
  });
}

/** A private Conduit home (and HOME) for the actor; the model's URL goes on the command line. */
export function homeFor(actor: Actor): { home: string; env: NodeJS.ProcessEnv } {
  const home = ownedDir(actor, 'conduit-sec-home-');
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    CONDUIT_HOME: home,
    CODEX_API_KEY: 'sk-security-test',
  };
  return { home, env };
}

/**
 * `conduit exec` arguments for one headless run against the fake model, in the given sandbox mode. /tmp and
 * $TMPDIR are not writable roots here: the "outside" directories of the attacks live under /tmp.
 */
export function execArgs(fakeUrl: string, sandbox: string, prompt: string): string[] {
  return [
    'exec',
    '--config',
    `openai_base_url="${fakeUrl}"`,
    '-c',
    'sandbox_workspace_write.exclude_slash_tmp=true',
    '-c',
    'sandbox_workspace_write.exclude_tmpdir_env_var=true',
    '-m',
    'gpt-4.1',
    '-s',
    sandbox,
    '--skip-git-repo-check',
    '--json',
    prompt,
  ];
}

/** Every entry under `dir`, recursively (relative paths), for "nothing landed here" checks. */
export function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}
