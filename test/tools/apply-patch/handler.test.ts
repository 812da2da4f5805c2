// The tool as the router sees it: both wire shapes, the events and FileChange records, the turn diff.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPatchToolSpec, applyPatchToolTypeFor } from '../../../src/tools/apply-patch/spec.js';
import { TurnDiffTracker } from '../../../src/tools/apply-patch/turn-diff-tracker.js';
import { createApplyPatchToolHandler } from '../../../src/tools/handlers/apply-patch.js';
import type { ToolCall } from '../../../src/tools/types.js';
import { itSandboxed } from '../../helpers/sandbox.js';
import { makeContext, makeWorkspace, testConfig } from './helpers.js';

const PATCH = [
  '*** Begin Patch',
  '*** Add File: added.txt',
  '+hello',
  '*** Update File: edited.txt',
  '@@',
  ' one',
  '-two',
  '+TWO',
  '*** Update File: renamed.txt',
  '*** Move to: sub/renamed.txt',
  '@@',
  '-r',
  '+R',
  '*** Delete File: deleted.txt',
  '*** End Patch',
].join('\n');

function seed(cwd: string): void {
  writeFileSync(join(cwd, 'edited.txt'), 'one\ntwo\nthree\n');
  writeFileSync(join(cwd, 'renamed.txt'), 'r\n');
  writeFileSync(join(cwd, 'deleted.txt'), 'gone\n');
}

const call = (kind: ToolCall['kind'], input: string): ToolCall => ({
  callId: 'call_1',
  name: 'apply_patch',
  kind,
  input,
});

describe('apply_patch handler', () => {
  itSandboxed('applies a function-tool call and reports begin/end with every kind of change', async () => {
    const { cwd } = makeWorkspace();
    seed(cwd);
    const { ctx, events } = await makeContext({ cwd });
    const handler = createApplyPatchToolHandler({ toolType: 'function' });
    const result = await handler.handle(call('function', JSON.stringify({ input: PATCH })), ctx);
    const summary =
      'Success. Updated the following files:\nA added.txt\nM edited.txt\nM sub/renamed.txt\nD deleted.txt\n';
    expect(result).toEqual({ output: summary, success: true });
    expect(events).toEqual([
      {
        type: 'patch_apply_begin',
        call_id: 'call_1',
        auto_approved: true,
        changes: {
          [join(cwd, 'added.txt')]: { type: 'add', content: 'hello\n' },
          [join(cwd, 'edited.txt')]: {
            type: 'update',
            unified_diff: '@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n',
          },
          [join(cwd, 'renamed.txt')]: {
            type: 'update',
            unified_diff: '@@ -1,1 +1,1 @@\n-r\n+R\n',
            move_path: join(cwd, 'sub/renamed.txt'),
          },
          [join(cwd, 'deleted.txt')]: { type: 'delete', content: 'gone\n' },
        },
      },
      { type: 'patch_apply_end', call_id: 'call_1', stdout: summary, stderr: '', success: true },
    ]);
  });

  itSandboxed('takes the raw patch from a freeform call', async () => {
    const { cwd } = makeWorkspace();
    seed(cwd);
    const { ctx } = await makeContext({ cwd });
    const result = await createApplyPatchToolHandler({ toolType: 'freeform' }).handle(
      call('custom', PATCH),
      ctx,
    );
    expect(result.success).toBe(true);
    expect(readFileSync(join(cwd, 'sub/renamed.txt'), 'utf8')).toBe('R\n');
  });

  it('rejects bad function arguments with a message naming the field', async () => {
    const { cwd } = makeWorkspace();
    const { ctx } = await makeContext({ cwd });
    const handler = createApplyPatchToolHandler({ toolType: 'function' });
    await expect(handler.handle(call('function', '{"patch": "x"}'), ctx)).rejects.toThrow(
      '"input" must be a string',
    );
    await expect(handler.handle(call('function', '{nope'), ctx)).rejects.toThrow(
      'failed to parse function arguments',
    );
  });

  it('writes nothing once the turn is interrupted', async () => {
    const { cwd } = makeWorkspace();
    const controller = new AbortController();
    controller.abort();
    const { ctx, events } = await makeContext({ cwd, signal: controller.signal });
    const result = await createApplyPatchToolHandler({ toolType: 'function' }).handle(
      call('function', JSON.stringify({ input: '*** Begin Patch\n*** Add File: a\n+a\n*** End Patch' })),
      ctx,
    );
    expect(result.success).toBe(false);
    // Nothing was written, and the failure is visible as a failed patch_apply_end.
    expect(events).toEqual([
      expect.objectContaining({ type: 'patch_apply_end', success: false, stderr: result.output }),
    ]);
  });

  it('offers the freeform grammar only on the Responses wire for families that use it', async () => {
    const config = await testConfig();
    const family = { ...config.modelFamily, applyPatchToolType: 'freeform' as const };
    const responses = { ...config.modelProvider, wireApi: 'responses' as const };
    expect(applyPatchToolTypeFor({ modelFamily: family, modelProvider: responses })).toBe('freeform');
    expect(
      applyPatchToolTypeFor({ modelFamily: family, modelProvider: { ...responses, wireApi: 'chat' } }),
    ).toBe('function');
    const freeform = applyPatchToolSpec('freeform');
    expect(freeform).toMatchObject({
      type: 'custom',
      name: 'apply_patch',
      format: { type: 'grammar', syntax: 'lark' },
    });
    const fn = applyPatchToolSpec('function');
    expect(fn).toMatchObject({
      type: 'function',
      name: 'apply_patch',
      parameters: { required: ['input'], additionalProperties: false },
    });
  });
});

describe('TurnDiffTracker', () => {
  itSandboxed('diffs each file against its content before the first patch of the turn', async () => {
    const { cwd } = makeWorkspace();
    seed(cwd);
    const turnDiff = new TurnDiffTracker(cwd);
    const { ctx } = await makeContext({ cwd, turnDiff });
    const handler = createApplyPatchToolHandler({ toolType: 'function' });
    await handler.handle(call('function', JSON.stringify({ input: PATCH })), ctx);
    const second = '*** Begin Patch\n*** Update File: edited.txt\n@@\n-three\n+THREE\n*** End Patch';
    await handler.handle(call('function', JSON.stringify({ input: second })), ctx);
    expect(await turnDiff.unifiedDiff()).toBe(
      [
        'diff --git a/added.txt b/added.txt\n--- /dev/null\n+++ b/added.txt\n@@ -0,0 +1,1 @@\n+hello\n',
        'diff --git a/deleted.txt b/deleted.txt\n--- a/deleted.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-gone\n',
        'diff --git a/edited.txt b/edited.txt\n--- a/edited.txt\n+++ b/edited.txt\n@@ -1,3 +1,3 @@\n one\n-two\n-three\n+TWO\n+THREE\n',
        'diff --git a/renamed.txt b/renamed.txt\n--- a/renamed.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-r\n',
        'diff --git a/sub/renamed.txt b/sub/renamed.txt\n--- /dev/null\n+++ b/sub/renamed.txt\n@@ -0,0 +1,1 @@\n+R\n',
      ].join(''),
    );
  });

  it('reports nothing when the turn changed nothing in the end', async () => {
    const { cwd } = makeWorkspace();
    writeFileSync(join(cwd, 'a.txt'), 'a\n');
    const turnDiff = new TurnDiffTracker(cwd);
    const { ctx } = await makeContext({ cwd, turnDiff });
    const handler = createApplyPatchToolHandler({ toolType: 'function' });
    const flip = (from: string, to: string) =>
      call(
        'function',
        JSON.stringify({
          input: `*** Begin Patch\n*** Update File: a.txt\n@@\n-${from}\n+${to}\n*** End Patch`,
        }),
      );
    await handler.handle(flip('a', 'b'), ctx);
    await handler.handle(flip('b', 'a'), ctx);
    expect(await turnDiff.unifiedDiff()).toBeUndefined();
  });
});
