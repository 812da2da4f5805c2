import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../../src/config/types.js';
import type { ApprovalPolicy, ReviewDecision } from '../../../src/protocol/policy.js';
import { ApprovalCache } from '../../../src/tools/approval/cache.js';
import { TurnAbortedError } from '../../../src/tools/approval/errors.js';
import { createShellHandler } from '../../../src/tools/handlers/shell.js';
import { ToolRegistry } from '../../../src/tools/registry.js';
import { dispatchToolCall } from '../../../src/tools/router.js';
import { describeSandboxed } from '../../helpers/sandbox.js';
import {
  call,
  makeConfig,
  makeContext,
  makeWorkspace,
  modelText,
  removeWorkspace,
  ScriptedApprover,
  type Workspace,
  workspaceWrite,
} from './helpers.js';

let ws: Workspace;
let config: Config;
beforeAll(async () => {
  ws = makeWorkspace();
  config = await makeConfig(ws);
});
afterAll(() => removeWorkspace(ws));

const bash = (script: string) => ['bash', '-lc', script];

function setup(policy: ApprovalPolicy, answers: ReviewDecision[] = []) {
  const approver = new ScriptedApprover(answers);
  const ctx = makeContext(config, policy, workspaceWrite, approver);
  const approvals = new ApprovalCache();
  const handler = createShellHandler({ config, approvals });
  const run = (args: Record<string, unknown>) => handler.handle(call('shell', args), ctx);
  return { approver, ctx, approvals, run };
}

describeSandboxed('never', () => {
  it('runs without asking and streams begin, output deltas and end', async () => {
    const { approver, ctx, run } = setup('never');
    // `-c`, not `-lc`: a login shell's profile may print its own noise on this machine.
    const out = await run({ command: ['bash', '-c', 'echo hello; echo oops >&2; echo data > inside.txt'] });
    expect(out.success).toBe(true);
    expect(JSON.parse(out.output as string)).toEqual({
      output: 'hello\noops\n',
      metadata: { exit_code: 0, duration_seconds: expect.any(Number) },
    });
    expect(readFileSync(join(ws.cwd, 'inside.txt'), 'utf8')).toBe('data\n');
    expect(approver.requests).toEqual([]);
    const types = ctx.events.map((e) => e.type);
    expect(types[0]).toBe('exec_command_begin');
    expect(types.at(-1)).toBe('exec_command_end');
    const streamed = ctx.events
      .flatMap((e) =>
        e.type === 'exec_command_output_delta' ? [Buffer.from(e.chunk, 'base64').toString()] : [],
      )
      .join('');
    expect(streamed).toContain('hello');
    const end = ctx.events.at(-1);
    expect(end?.type === 'exec_command_end' && end.exit_code).toBe(0);
  });

  it('returns a sandbox denial to the model as an error, without asking', async () => {
    const { approver, run } = setup('never');
    const target = join(ws.outside, 'never.txt');
    const out = await run({ command: bash(`echo x > ${target}`) });
    expect(out.success).toBe(false);
    expect(modelText(out.output)).toMatch(/read-only file system/i);
    expect(existsSync(target)).toBe(false);
    expect(approver.requests).toEqual([]);
  });

  it('refuses escalation outright', async () => {
    const { approver, ctx, run } = setup('never');
    const out = await run({ command: ['true'], with_escalated_permissions: true, justification: 'x' });
    expect(out).toEqual({
      output:
        'approval policy is never; reject command — you should not ask for escalated permissions if the approval policy is never',
      success: false,
    });
    expect(approver.requests).toEqual([]);
    expect(ctx.events).toEqual([]);
  });
});

describeSandboxed('on-failure', () => {
  it('asks after a sandbox denial and retries without the sandbox when approved', async () => {
    const { approver, run } = setup('on-failure', ['approved']);
    const target = join(ws.outside, 'on-failure.txt');
    const out = await run({ command: bash(`echo retried > ${target}`) });
    expect(out.success).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('retried\n');
    expect(approver.requests).toHaveLength(1);
    expect(approver.requests[0]).toMatchObject({
      kind: 'exec',
      command: bash(`echo retried > ${target}`),
      cwd: ws.cwd,
      reason: 'command failed; retry without sandbox?',
    });
  });

  it('reports the rejection when the retry is denied', async () => {
    const { run } = setup('on-failure', ['denied']);
    const target = join(ws.outside, 'on-failure-denied.txt');
    const out = await run({ command: bash(`echo no > ${target}`) });
    expect(out).toEqual({ output: 'exec command rejected by user', success: false });
    expect(existsSync(target)).toBe(false);
  });

  it('does not ask for failures that are not sandbox denials, nor retry them', async () => {
    const { approver, run } = setup('on-failure');
    const out = await run({ command: bash('echo failing; exit 3') });
    expect(out.success).toBe(false);
    expect(JSON.parse(out.output as string).metadata.exit_code).toBe(3);
    expect(approver.requests).toEqual([]);
  });

  it('remembers an approved_for_session retry for the same command', async () => {
    const { approver, run } = setup('on-failure', ['approved_for_session']);
    const target = join(ws.outside, 'session.txt');
    expect((await run({ command: bash(`echo one >> ${target}`) })).success).toBe(true);
    expect((await run({ command: bash(`echo one >> ${target}`) })).success).toBe(true);
    expect(approver.requests).toHaveLength(1);
    expect(readFileSync(target, 'utf8')).toBe('one\none\n');
  });
});

describeSandboxed('untrusted', () => {
  it('runs known-safe commands without asking', async () => {
    const { approver, run } = setup('untrusted');
    const out = await run({ command: bash('ls && pwd') });
    expect(out.success).toBe(true);
    expect(modelText(out.output)).toContain(ws.cwd);
    expect(approver.requests).toEqual([]);
  });

  it('asks before anything else, and does not run it when denied', async () => {
    const { approver, ctx, run } = setup('untrusted', ['denied']);
    const out = await run({ command: bash('touch untrusted-denied.txt') });
    expect(out).toEqual({ output: 'exec command rejected by user', success: false });
    expect(existsSync(join(ws.cwd, 'untrusted-denied.txt'))).toBe(false);
    expect(approver.requests).toHaveLength(1);
    expect(ctx.events).toEqual([]);
  });

  it('does not ask a second time before retrying an approved command without the sandbox', async () => {
    const { approver, run } = setup('untrusted', ['approved']);
    const target = join(ws.outside, 'untrusted.txt');
    const out = await run({ command: bash(`echo ok > ${target}`) });
    expect(out.success).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('ok\n');
    expect(approver.requests).toHaveLength(1);
    expect(approver.requests[0]).toMatchObject({ reason: undefined });
  });

  it('asks before retrying a known-safe command the sandbox refused', async () => {
    // The sandbox drops every capability, so even root cannot read a mode-000 file inside it.
    const secret = join(ws.outside, 'secret.txt');
    writeFileSync(secret, 'top secret\n', { mode: 0o000 });
    const { approver, run } = setup('untrusted', ['approved']);
    const out = await run({ command: ['cat', secret] });
    expect(approver.requests).toEqual([
      expect.objectContaining({ command: ['cat', secret], reason: 'command failed; retry without sandbox?' }),
    ]);
    expect(out.success).toBe(true);
    expect(modelText(out.output)).toBe('top secret\n');
  });

  it('lets approved_for_session cover later commands with the same subcommand prefix', async () => {
    const { approver, run } = setup('untrusted', ['approved_for_session']);
    expect((await run({ command: bash('git init -q repo-a') })).success).toBe(true);
    expect((await run({ command: bash('git init -q repo-b && ls') })).success).toBe(true);
    expect(approver.requests).toHaveLength(1);
    expect(approver.requests[0]).toMatchObject({ sessionScope: ['git init …'] });
    expect(existsSync(join(ws.cwd, 'repo-b', '.git'))).toBe(true);
  });
});

describeSandboxed('on-request', () => {
  it('runs ordinary commands in the sandbox without asking and returns denials to the model', async () => {
    const { approver, run } = setup('on-request');
    const target = join(ws.outside, 'on-request.txt');
    const out = await run({ command: bash(`echo x > ${target}`) });
    expect(out.success).toBe(false);
    expect(modelText(out.output)).toMatch(/read-only file system/i);
    expect(approver.requests).toEqual([]);
  });

  it('asks before a dangerous command', async () => {
    const { approver, run } = setup('on-request', ['approved']);
    const out = await run({ command: bash('touch doomed && rm -f doomed') });
    expect(out.success).toBe(true);
    expect(approver.requests).toHaveLength(1);
  });

  it('runs an approved escalation outside the sandbox, with the justification as the reason', async () => {
    const { approver, run } = setup('on-request', ['approved']);
    const target = join(ws.outside, 'escalated.txt');
    const out = await run({
      command: bash(`echo escalated > ${target}`),
      with_escalated_permissions: true,
      justification: 'needs to write outside the workspace',
    });
    expect(out.success).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('escalated\n');
    expect(approver.requests).toEqual([
      expect.objectContaining({ kind: 'exec', reason: 'needs to write outside the workspace' }),
    ]);
  });

  it('stops the turn when the user aborts', async () => {
    const { ctx } = setup('on-request', ['abort']);
    const registry = new ToolRegistry([createShellHandler({ config, approvals: new ApprovalCache() })]);
    const aborted = dispatchToolCall(
      registry,
      call('shell', { command: ['rm', '-rf', 'nothing-here'] }),
      ctx,
    );
    await expect(aborted).rejects.toBeInstanceOf(TurnAbortedError);
  });
});
