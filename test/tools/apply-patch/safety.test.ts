// Escape attempts and the approval rules: nothing outside the writable roots is ever written without a
// human saying yes, and under `never` it is refused with a message the model can act on.

import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWritablePath, realPathOf, writableRootsFor } from '../../../src/tools/apply-patch/path-safety.js';
import { assessPatchSafety } from '../../../src/tools/apply-patch/safety.js';
import { ApprovalCache } from '../../../src/tools/approval/cache.js';
import { runApplyPatch } from '../../../src/tools/handlers/apply-patch.js';
import { itSandboxed } from '../../helpers/sandbox.js';
import { makeContext, makeWorkspace, snapshot, WORKSPACE_NO_TMP } from './helpers.js';

const addFile = (path: string) => `*** Begin Patch\n*** Add File: ${path}\n+pwned\n*** End Patch\n`;

/** Workspace with a symlink `work/link` → `outside/` and `work/file-link` → `outside/target.txt`. */
function workspaceWithLinks() {
  const ws = makeWorkspace();
  writeFileSync(join(ws.outside, 'target.txt'), 'original\n');
  symlinkSync(ws.outside, join(ws.cwd, 'link'));
  symlinkSync(join(ws.outside, 'target.txt'), join(ws.cwd, 'file-link'));
  symlinkSync(join(ws.outside, 'not-yet.txt'), join(ws.cwd, 'dangling'));
  return ws;
}

const ESCAPES: Array<{
  name: string;
  patch: (ws: ReturnType<typeof makeWorkspace>) => string;
  lands: string;
}> = [
  { name: '../x', patch: () => addFile('../outside/x.txt'), lands: 'outside/x.txt' },
  { name: 'an absolute path', patch: (ws) => addFile(join(ws.outside, 'abs.txt')), lands: 'outside/abs.txt' },
  { name: 'a symlinked directory', patch: () => addFile('link/via-dir.txt'), lands: 'outside/via-dir.txt' },
  {
    name: 'a symlinked file',
    patch: () => '*** Begin Patch\n*** Update File: file-link\n@@\n-original\n+changed\n*** End Patch',
    lands: 'outside/target.txt',
  },
  { name: 'a dangling symlink', patch: () => addFile('dangling'), lands: 'outside/not-yet.txt' },
  {
    name: 'a move out of the workspace',
    patch: () =>
      '*** Begin Patch\n*** Update File: in.txt\n*** Move to: ../outside/moved.txt\n@@\n-in\n+out\n*** End Patch',
    lands: 'outside/moved.txt',
  },
];

describe('escape attempts', () => {
  for (const attempt of ESCAPES) {
    it(`refuses ${attempt.name} under never, without writing`, async () => {
      const ws = workspaceWithLinks();
      writeFileSync(join(ws.cwd, 'in.txt'), 'in\n');
      const before = snapshot(ws.root);
      const { ctx, events, requests } = await makeContext({ cwd: ws.cwd, approvalPolicy: 'never' });
      const result = await runApplyPatch(attempt.patch(ws), ws.cwd, ctx);
      expect(result.success).toBe(false);
      expect(result.output).toContain('patch rejected: writing outside of the project');
      expect(result.output).toContain(join(ws.root, attempt.lands));
      expect(requests).toEqual([]);
      // Nothing was written, and the failure is visible as a failed patch_apply_end.
      expect(events).toEqual([
        expect.objectContaining({ type: 'patch_apply_end', success: false, stderr: result.output }),
      ]);
      expect(snapshot(ws.root)).toEqual(before);
    });

    it(`asks for ${attempt.name} under on-request and writes nothing when denied`, async () => {
      const ws = workspaceWithLinks();
      writeFileSync(join(ws.cwd, 'in.txt'), 'in\n');
      const before = snapshot(ws.root);
      const { ctx, requests } = await makeContext({
        cwd: ws.cwd,
        approvalPolicy: 'on-request',
        decision: 'denied',
      });
      const result = await runApplyPatch(attempt.patch(ws), ws.cwd, ctx);
      expect(result).toEqual({ output: 'patch rejected by user', success: false });
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ kind: 'patch', callId: 'call_1' });
      expect(requests[0].reason).toContain(join(ws.root, attempt.lands));
      expect(snapshot(ws.root)).toEqual(before);
    });
  }

  it('writes through the symlink to its real target once approved', async () => {
    const ws = workspaceWithLinks();
    const { ctx, events } = await makeContext({ cwd: ws.cwd, decision: 'approved' });
    const result = await runApplyPatch(ESCAPES[3].patch(ws), ws.cwd, ctx);
    expect(result.success).toBe(true);
    expect(readFileSync(join(ws.outside, 'target.txt'), 'utf8')).toBe('changed\n');
    expect(events[0]).toMatchObject({ type: 'patch_apply_begin', auto_approved: false });
  });

  it('sends writes into .git to approval even inside the workspace', async () => {
    const ws = makeWorkspace();
    mkdirSync(join(ws.cwd, '.git'));
    const { ctx, requests } = await makeContext({ cwd: ws.cwd });
    const result = await runApplyPatch(addFile('.git/hooks/pre-commit'), ws.cwd, ctx);
    expect(result.output).toBe('patch rejected by user');
    expect(requests).toHaveLength(1);
    expect(existsSync(join(ws.cwd, '.git/hooks'))).toBe(false);
  });
});

describe('approval rules', () => {
  itSandboxed('auto-approves writes inside the workspace and extra writable roots', async () => {
    const ws = makeWorkspace();
    const sandboxPolicy = { ...WORKSPACE_NO_TMP, writableRoots: [ws.outside] };
    const { ctx, requests, events } = await makeContext({
      cwd: ws.cwd,
      approvalPolicy: 'never',
      sandboxPolicy,
    });
    const patch = `*** Begin Patch\n*** Add File: in.txt\n+a\n*** Add File: ${join(ws.outside, 'extra.txt')}\n+b\n*** End Patch`;
    const result = await runApplyPatch(patch, ws.cwd, ctx);
    expect(result.success).toBe(true);
    expect(requests).toEqual([]);
    expect(events[0]).toMatchObject({ type: 'patch_apply_begin', auto_approved: true });
    expect(readFileSync(join(ws.outside, 'extra.txt'), 'utf8')).toBe('b\n');
  });

  it('asks for everything under read-only and under untrusted', async () => {
    for (const [approvalPolicy, sandboxPolicy] of [
      ['on-request', { type: 'read-only' }],
      ['untrusted', WORKSPACE_NO_TMP],
    ] as const) {
      const ws = makeWorkspace();
      const { ctx, requests } = await makeContext({ cwd: ws.cwd, approvalPolicy, sandboxPolicy });
      await runApplyPatch(addFile('in.txt'), ws.cwd, ctx);
      expect(requests).toHaveLength(1);
      expect(existsSync(join(ws.cwd, 'in.txt'))).toBe(false);
    }
  });

  it('writes anywhere under danger-full-access without asking', async () => {
    const ws = makeWorkspace();
    const { ctx, requests } = await makeContext({
      cwd: ws.cwd,
      approvalPolicy: 'never',
      sandboxPolicy: { type: 'danger-full-access' },
    });
    expect((await runApplyPatch(addFile('../outside/free.txt'), ws.cwd, ctx)).success).toBe(true);
    expect(requests).toEqual([]);
    expect(readFileSync(join(ws.outside, 'free.txt'), 'utf8')).toBe('pwned\n');
  });

  it('remembers approved_for_session per patch and cwd', async () => {
    const ws = makeWorkspace();
    const cache = new ApprovalCache();
    const first = await makeContext({ cwd: ws.cwd, decision: 'approved_for_session' });
    const patch = addFile('../outside/again.txt');
    expect((await runApplyPatch(patch, ws.cwd, first.ctx, { approvalCache: cache })).success).toBe(true);
    const second = await makeContext({ cwd: ws.cwd, decision: 'denied' });
    expect((await runApplyPatch(patch, ws.cwd, second.ctx, { approvalCache: cache })).success).toBe(true);
    expect(second.requests).toEqual([]);
    const other = await runApplyPatch(addFile('../outside/other.txt'), ws.cwd, second.ctx, {
      approvalCache: cache,
    });
    expect(other.output).toBe('patch rejected by user');
    expect(second.requests).toHaveLength(1);
  });

  it('stops the turn on abort', async () => {
    const ws = makeWorkspace();
    const { ctx } = await makeContext({ cwd: ws.cwd, decision: 'abort' });
    await expect(runApplyPatch(addFile('../outside/x.txt'), ws.cwd, ctx)).rejects.toMatchObject({
      name: 'TurnAbortedError',
    });
    expect(existsSync(join(ws.outside, 'x.txt'))).toBe(false);
  });

  it('counts /tmp and $TMPDIR as writable unless excluded', async () => {
    const policy = { ...WORKSPACE_NO_TMP, excludeSlashTmp: false, excludeTmpdirEnvVar: false };
    const roots = await writableRootsFor(policy, '/work', { TMPDIR: '/var/tmp' });
    expect(isWritablePath(await realPathOf('/tmp/x'), roots)).toBe(true);
    expect(isWritablePath('/var/tmp/y', roots)).toBe(true);
    expect(isWritablePath('/etc/passwd', roots)).toBe(false);
    expect(await writableRootsFor(WORKSPACE_NO_TMP, '/work', { TMPDIR: '/var/tmp' })).toEqual(['/work']);
  });

  it('follows §9 for every policy', () => {
    const ws = WORKSPACE_NO_TMP;
    const outside = ['/etc/x'];
    expect(assessPatchSafety({ outsidePaths: [], approvalPolicy: 'on-request', sandboxPolicy: ws })).toEqual({
      type: 'auto-approve',
    });
    expect(assessPatchSafety({ outsidePaths: [], approvalPolicy: 'untrusted', sandboxPolicy: ws }).type).toBe(
      'ask',
    );
    expect(
      assessPatchSafety({ outsidePaths: outside, approvalPolicy: 'on-failure', sandboxPolicy: ws }).type,
    ).toBe('ask');
    expect(
      assessPatchSafety({ outsidePaths: outside, approvalPolicy: 'never', sandboxPolicy: ws }).type,
    ).toBe('reject');
    expect(
      assessPatchSafety({
        outsidePaths: outside,
        approvalPolicy: 'never',
        sandboxPolicy: { type: 'danger-full-access' },
      }),
    ).toEqual({ type: 'auto-approve' });
  });
});
