// Shared test scaffolding: temporary workspaces, directory snapshots (bytes and mtimes) and a ToolContext
// whose approvals are answered by a scripted decision, with every event and request recorded.

import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/types.js';
import type { ReviewDecision, SandboxPolicy } from '../../../src/protocol/policy.js';
import type { ToolEvent } from '../../../src/protocol/tool-events.js';
import type { TurnDiffTracker } from '../../../src/tools/apply-patch/turn-diff-tracker.js';
import type { ApprovalRequest, ToolContext } from '../../../src/tools/types.js';

/** A fresh directory (real path) with `work/` as the cwd and `outside/` beside it. */
export function makeWorkspace(): { root: string; cwd: string; outside: string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'conduit-patch-')));
  const cwd = join(root, 'work');
  const outside = join(root, 'outside');
  mkdirSync(cwd);
  mkdirSync(outside);
  return { root, cwd, outside };
}

/** Copies a fixture tree into `dest` and pins every file's mtime in the past, so any rewrite shows. */
export function copyTree(src: string, dest: string): void {
  cpSync(src, dest, { recursive: true });
  const past = new Date('2020-01-02T03:04:05Z');
  for (const file of listFiles(dest)) utimesSync(join(dest, file), past, past);
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Every file under `dir` with its bytes and mtime. */
export function snapshot(dir: string): Record<string, { bytes: string; mtimeMs: number }> {
  const out: Record<string, { bytes: string; mtimeMs: number }> = {};
  for (const file of listFiles(dir)) {
    const path = join(dir, file);
    out[file] = { bytes: readFileSync(path).toString('base64'), mtimeMs: statSync(path).mtimeMs };
  }
  return out;
}

export function contents(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

let baseConfig: Config | undefined;

/** A real resolved Config (defaults, empty home) for the context's `config` field. */
export async function testConfig(): Promise<Config> {
  if (!baseConfig) {
    const home = mkdtempSync(join(tmpdir(), 'conduit-patch-home-'));
    baseConfig = (await loadConfig({ conduitHome: home, cwd: home, env: {} })).config;
  }
  return baseConfig;
}

export const WORKSPACE_NO_TMP: SandboxPolicy = {
  type: 'workspace-write',
  writableRoots: [],
  networkAccess: false,
  excludeSlashTmp: true,
  excludeTmpdirEnvVar: true,
};

export interface RecordingContext {
  ctx: ToolContext;
  events: ToolEvent[];
  requests: ApprovalRequest[];
}

export async function makeContext(options: {
  cwd: string;
  approvalPolicy?: ToolContext['approvalPolicy'];
  sandboxPolicy?: SandboxPolicy;
  decision?: ReviewDecision;
  turnDiff?: TurnDiffTracker;
  signal?: AbortSignal;
}): Promise<RecordingContext> {
  const config = await testConfig();
  const events: ToolEvent[] = [];
  const requests: ApprovalRequest[] = [];
  const ctx: ToolContext = {
    callId: 'call_1',
    turnId: 'turn_1',
    cwd: options.cwd,
    approvalPolicy: options.approvalPolicy ?? 'on-request',
    sandboxPolicy: options.sandboxPolicy ?? WORKSPACE_NO_TMP,
    shellEnvironmentPolicy: config.shellEnvironmentPolicy,
    signal: options.signal ?? new AbortController().signal,
    emit: (event) => events.push(event),
    requestApproval: async (request) => {
      requests.push(request);
      return options.decision ?? 'denied';
    },
    turnDiff: options.turnDiff,
  };
  return { ctx, events, requests };
}
