// Patches sent through the shell tool: recognised from argv (tree-sitter parses `bash -lc` scripts) and
// applied by the same pipeline, relative to the shell call's directory and any `cd`.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractApplyPatchFromArgv } from '../../../src/tools/apply-patch/shell-detect.js';
import { applyPatchFromShell } from '../../../src/tools/handlers/apply-patch.js';
import { itSandboxed } from '../../helpers/sandbox.js';
import { makeContext, makeWorkspace } from './helpers.js';

const BODY = '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n';

describe('extractApplyPatchFromArgv', () => {
  it('recognises the direct argv forms', async () => {
    expect(await extractApplyPatchFromArgv(['apply_patch', BODY])).toEqual({ patch: BODY });
    expect(await extractApplyPatchFromArgv(['applypatch', BODY])).toEqual({ patch: BODY });
  });

  it('recognises heredocs in bash -lc, with any quoting of the delimiter and an optional cd', async () => {
    for (const delimiter of ["'EOF'", '"EOF"', 'EOF']) {
      expect(
        await extractApplyPatchFromArgv(['bash', '-lc', `apply_patch <<${delimiter}\n${BODY}EOF\n`]),
      ).toEqual({
        patch: BODY,
      });
    }
    expect(
      await extractApplyPatchFromArgv(['/bin/bash', '-c', `cd 'my dir' && apply_patch <<'EOF'\n${BODY}EOF`]),
    ).toEqual({
      patch: BODY,
      workdir: 'my dir',
    });
    expect(
      await extractApplyPatchFromArgv(['zsh', '-lc', `cd sub && applypatch <<"PATCH"\n${BODY}PATCH`]),
    ).toEqual({
      patch: BODY,
      workdir: 'sub',
    });
  });

  it('leaves every other command alone', async () => {
    const scripts = [
      `apply_patch <<'EOF'\n${BODY}EOF\necho done`,
      `cd a || apply_patch <<'EOF'\n${BODY}EOF`,
      `cd $HOME && apply_patch <<'EOF'\n${BODY}EOF`,
      `apply_patch extra <<'EOF'\n${BODY}EOF`,
      `cat <<'EOF'\n${BODY}EOF`,
      'echo apply_patch',
      'apply_patch <<EOF\nunterminated',
    ];
    for (const script of scripts)
      expect(await extractApplyPatchFromArgv(['bash', '-lc', script])).toBeUndefined();
    expect(
      await extractApplyPatchFromArgv(['python', '-c', `apply_patch <<'EOF'\n${BODY}EOF`]),
    ).toBeUndefined();
    expect(await extractApplyPatchFromArgv(['apply_patch'])).toBeUndefined();
    expect(await extractApplyPatchFromArgv(['ls', '-la'])).toBeUndefined();
  });
});

describe('applyPatchFromShell', () => {
  itSandboxed('applies a heredoc patch inside the cd directory and emits the patch events', async () => {
    const { cwd } = makeWorkspace();
    mkdirSync(join(cwd, 'pkg'));
    const { ctx, events } = await makeContext({ cwd });
    const argv = ['bash', '-lc', `cd pkg && apply_patch <<'EOF'\n${BODY}EOF`];
    const result = await applyPatchFromShell(argv, cwd, ctx);
    expect(result).toEqual({ output: 'Success. Updated the following files:\nA hello.txt\n', success: true });
    expect(readFileSync(join(cwd, 'pkg/hello.txt'), 'utf8')).toBe('hi\n');
    expect(events.map((e) => e.type)).toEqual(['patch_apply_begin', 'patch_apply_end']);
  });

  it('returns undefined for ordinary commands', async () => {
    const { cwd } = makeWorkspace();
    const { ctx } = await makeContext({ cwd });
    expect(await applyPatchFromShell(['bash', '-lc', 'ls'], cwd, ctx)).toBeUndefined();
  });
});
