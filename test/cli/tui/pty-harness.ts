// Runs the real `conduit` in a real pseudo-terminal and reads the screen through a terminal emulator
// (@xterm/headless), keeping every byte written for the flicker checks.

import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IPty, spawn } from '@lydell/node-pty';
import type { Terminal } from '@xterm/headless';

// Through require: the package's "module" entry names a file it does not ship, which Vite would pick.
const { Terminal: XTerm } = createRequire(import.meta.url)(
  '@xterm/headless',
) as typeof import('@xterm/headless');

export const CONDUIT_BIN = join(import.meta.dirname, '../../../bin/conduit.js');

export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function gitRepo(files: Record<string, string> = {}): string {
  const dir = tempDir('conduit-tui-repo-');
  mkdirSync(join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export interface TuiRun {
  pty: IPty;
  term: Terminal;
  /** Everything conduit wrote, as received. */
  bytes(): string;
  /** How many bytes were written so far. */
  byteCount(): number;
  /** The visible screen as text lines (trimmed right). */
  screen(): Promise<string[]>;
  /** Scrollback plus screen. */
  all(): Promise<string[]>;
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  type(text: string): Promise<void>;
  exited: Promise<{ exitCode: number }>;
  kill(): void;
}

export interface TuiOptions {
  args?: string[];
  cwd: string;
  home: string;
  cols?: number;
  rows?: number;
  env?: Record<string, string>;
  /** The conduit entry (default: this checkout's bin/conduit.js). */
  bin?: string;
}

export function startTui(opts: TuiOptions): TuiRun {
  const cols = opts.cols ?? 100;
  const rows = opts.rows ?? 30;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // A real user's terminal: not CI (Ink writes nothing live under CI), no test runner's NODE_ENV, no real keys.
  for (const key of [
    'CI',
    'NODE_ENV',
    'GITHUB_ACTIONS',
    'OPENAI_API_KEY',
    'CODEX_API_KEY',
    'CONDUIT_API_KEY',
    'OPENAI_BASE_URL',
    'NO_COLOR',
    'FORCE_COLOR',
  ])
    delete env[key];
  Object.assign(env, { CONDUIT_HOME: opts.home, TERM: 'xterm-256color', ...opts.env });
  const term = new XTerm({ cols, rows, scrollback: 100_000, allowProposedApi: true });
  const pty = spawn(process.execPath, [opts.bin ?? CONDUIT_BIN, ...(opts.args ?? [])], {
    cols,
    rows,
    cwd: opts.cwd,
    env,
    name: 'xterm-256color',
  });
  const chunks: string[] = [];
  let count = 0;
  let pendingWrite = Promise.resolve();
  pty.onData((data) => {
    chunks.push(data);
    count += Buffer.byteLength(data);
    pendingWrite = pendingWrite.then(() => new Promise<void>((resolve) => term.write(data, resolve)));
  });
  // The emulator answers the terminal queries conduit sends (device attributes, keyboard flags), as a real
  // terminal would.
  term.onData((reply) => {
    try {
      pty.write(reply);
    } catch {
      // conduit already exited
    }
  });
  const exited = new Promise<{ exitCode: number }>((resolve) =>
    pty.onExit(({ exitCode }) => resolve({ exitCode })),
  );
  const lines = (from: number, to: number) => {
    const buffer = term.buffer.active;
    const out: string[] = [];
    for (let y = from; y < to; y++) out.push(buffer.getLine(y)?.translateToString(true) ?? '');
    return out;
  };
  const screen = async () => {
    await pendingWrite;
    const base = term.buffer.active.baseY;
    return lines(base, base + rows);
  };
  const all = async () => {
    await pendingWrite;
    return lines(0, term.buffer.active.length);
  };
  const run: TuiRun = {
    pty,
    term,
    bytes: () => chunks.join(''),
    byteCount: () => count,
    screen,
    all,
    async waitFor(pattern, timeoutMs = 30_000) {
      const re =
        typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = (await all()).join('\n');
        if (re.test(text)) return text;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${re}; screen:\n${(await screen()).join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async type(text) {
      pty.write(text);
      await new Promise((r) => setTimeout(r, 30));
    },
    exited,
    kill: () => {
      try {
        pty.kill();
      } catch {
        // already gone
      }
    },
  };
  return run;
}
