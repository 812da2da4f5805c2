// A workspace, a real config, and a ToolContext whose approvals come from a scripted approver: a real
// function that answers each request from a list and records what it was asked.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/types.js';
import type { ApprovalPolicy, ReviewDecision, SandboxPolicy } from '../../../src/protocol/policy.js';
import type { ToolEvent } from '../../../src/protocol/tool-events.js';
import type { ApprovalRequest, ToolCall, ToolContext } from '../../../src/tools/types.js';

export interface Workspace {
  /** The session cwd (a writable root under workspace-write). */
  cwd: string;
  /** The Conduit home holding config.toml (beside cwd, not inside it). */
  home: string;
  /** A directory outside every writable root (not under /tmp), where sandboxed writes are denied. */
  outside: string;
}

export function makeWorkspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'conduit-shell-'));
  const cwd = join(root, 'work');
  const home = join(root, 'home');
  mkdirSync(cwd);
  mkdirSync(home);
  mkdirSync(OUTSIDE_PARENT, { recursive: true });
  return { cwd, home, outside: mkdtempSync(join(OUTSIDE_PARENT, 'outside-')) };
}

const OUTSIDE_PARENT = '/var/tmp/conduit-tests';

export function removeWorkspace(ws: Workspace): void {
  rmSync(dirname(ws.cwd), { recursive: true, force: true });
  rmSync(ws.outside, { recursive: true, force: true });
}

/** A config for the workspace; the default model (gpt-oss) gets shell output as JSON, gpt-5 as plain text. */
export async function makeConfig(ws: Workspace, toml = 'model = "gpt-oss-120b"'): Promise<Config> {
  writeFileSync(join(ws.home, 'config.toml'), toml);
  return (await loadConfig({ conduitHome: ws.home, cwd: ws.cwd, env: {} })).config;
}

export const workspaceWrite: SandboxPolicy = {
  type: 'workspace-write',
  writableRoots: [],
  networkAccess: false,
  excludeTmpdirEnvVar: false,
  excludeSlashTmp: false,
};

export class ScriptedApprover {
  readonly requests: ApprovalRequest[] = [];

  constructor(private readonly answers: ReviewDecision[] = []) {}

  readonly answer = async (request: ApprovalRequest): Promise<ReviewDecision> => {
    this.requests.push(request);
    const decision = this.answers.shift();
    if (!decision) throw new Error(`unexpected approval request: ${JSON.stringify(request)}`);
    return decision;
  };
}

export interface TestContext extends ToolContext {
  events: ToolEvent[];
}

export function makeContext(
  config: Config,
  approvalPolicy: ApprovalPolicy,
  sandboxPolicy: SandboxPolicy,
  approver: ScriptedApprover,
  callId = 'call-1',
): TestContext {
  const events: ToolEvent[] = [];
  return {
    callId,
    turnId: 'turn-1',
    cwd: config.cwd,
    approvalPolicy,
    sandboxPolicy,
    shellEnvironmentPolicy: config.shellEnvironmentPolicy,
    signal: new AbortController().signal,
    emit: (event) => events.push(event),
    requestApproval: approver.answer,
    events,
  };
}

let calls = 0;
export function call(name: string, args: unknown): ToolCall {
  calls++;
  return { callId: `call-${calls}`, name, kind: 'function', input: JSON.stringify(args) };
}

/** The `output` field of the shell tool's JSON result. */
export function modelText(output: unknown): string {
  return (JSON.parse(output as string) as { output: string }).output;
}
