// The fixture corpus: each folder under fixtures/ holds `before/`, `patch.txt` and either `after/` (the
// exact tree expected) or `error.txt` (a fragment of the message the model must get, with the tree left
// byte-for-byte and mtime-for-mtime as it was). Every case runs through the real tool handler and disk.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runApplyPatch } from '../../../src/tools/handlers/apply-patch.js';
import { describeSandboxed } from '../../helpers/sandbox.js';
import { contents, copyTree, makeContext, makeWorkspace, snapshot } from './helpers.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const cases = readdirSync(fixtures, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describeSandboxed('patch corpus', () => {
  it('has the cases the issue asks for', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    const dir = join(fixtures, name);
    const patch = readFileSync(join(dir, 'patch.txt'), 'utf8');
    const errorPath = join(dir, 'error.txt');

    it(name, async () => {
      const { cwd } = makeWorkspace();
      copyTree(join(dir, 'before'), cwd);
      const before = snapshot(cwd);
      const { ctx, events, requests } = await makeContext({ cwd });
      const result = await runApplyPatch(patch, cwd, ctx);
      expect(requests).toEqual([]);

      if (existsSync(errorPath)) {
        expect(result.success).toBe(false);
        expect(result.output).toContain(readFileSync(errorPath, 'utf8').trimEnd());
        expect(snapshot(cwd)).toEqual(before);
        // Nothing was written, and the failure is visible as a failed patch_apply_end.
        expect(events).toEqual([
          expect.objectContaining({ type: 'patch_apply_end', success: false, stderr: result.output }),
        ]);
      } else {
        expect(result.output).toMatch(/^Success\. Updated the following files:\n/);
        expect(result.success).toBe(true);
        expect(contents(cwd)).toEqual(contents(join(dir, 'after')));
        expect(events.map((e) => e.type)).toEqual(['patch_apply_begin', 'patch_apply_end']);
      }
    });
  }
});
