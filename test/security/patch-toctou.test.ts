// The swap race made deterministic: the plan is made while workspace/d is a directory, then d is swapped
// for a symlink to an outside directory right before the write starts (renameat2 RENAME_EXCHANGE). The
// sandboxed writer must meet the read-only view and change nothing; written from this process, as before,
// the file would land outside.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { RunSandboxed } from '../../src/exec/types.js';
import { runSandboxed } from '../../src/sandbox/run.js';
import { runApplyPatch } from '../../src/tools/handlers/apply-patch.js';
import { describeSandboxed } from '../helpers/sandbox.js';
import { listFiles, makeContext, makeWorkspace } from '../tools/apply-patch/helpers.js';
import { PYTHON } from './helpers.js';

const EXCHANGE =
  'import ctypes,sys;l=ctypes.CDLL(None,use_errno=True);sys.exit(l.renameat2(-100,sys.argv[1].encode(),-100,sys.argv[2].encode(),2))';

describeSandboxed('apply_patch between plan and write', () => {
  it.skipIf(!existsSync(PYTHON))(
    'refuses a write through a directory swapped for a symlink after planning',
    async () => {
      const { cwd, outside } = makeWorkspace();
      mkdirSync(join(cwd, 'd'));
      symlinkSync(outside, join(cwd, 'evil'));
      const swapThenRun: RunSandboxed = async (req) => {
        execFileSync(PYTHON, ['-c', EXCHANGE, join(cwd, 'd'), join(cwd, 'evil')]);
        return runSandboxed(req);
      };
      const { ctx, events } = await makeContext({ cwd, approvalPolicy: 'never' });
      const result = await runApplyPatch(
        '*** Begin Patch\n*** Add File: d/planted.txt\n+x\n*** End Patch',
        cwd,
        ctx,
        {
          runSandboxed: swapThenRun,
        },
      );
      expect(result.success).toBe(false);
      expect(String(result.output)).toMatch(/read-only file system/i);
      expect(String(result.output)).toContain('no file was changed');
      expect(listFiles(outside)).toEqual([]);
      expect(events.at(-1)).toMatchObject({ type: 'patch_apply_end', success: false });
    },
  );
});
