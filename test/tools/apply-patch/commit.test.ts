// The write phase on its own: staging failures and rename failures leave every file as it was.

import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitPlan } from '../../../src/tools/apply-patch/commit.js';
import { listFiles, makeWorkspace } from './helpers.js';

describe('commitPlan', () => {
  it('keeps the permission bits of a replaced file', async () => {
    const { cwd } = makeWorkspace();
    const path = join(cwd, 'run.sh');
    writeFileSync(path, 'echo 1\n');
    chmodSync(path, 0o755);
    await commitPlan([{ realPath: path, before: 'echo 1\n', after: 'echo 2\n' }]);
    expect(readFileSync(path, 'utf8')).toBe('echo 2\n');
    expect(statSync(path).mode & 0o777).toBe(0o755);
  });

  it('touches nothing when a file cannot be staged', async () => {
    const { cwd } = makeWorkspace();
    writeFileSync(join(cwd, 'a.txt'), 'a\n');
    writeFileSync(join(cwd, 'blocker'), 'a file where a directory is needed\n');
    const files = [
      { realPath: join(cwd, 'a.txt'), before: 'a\n', after: 'A\n' },
      { realPath: join(cwd, 'new/dir/b.txt'), before: null, after: 'b\n' },
      { realPath: join(cwd, 'blocker/c.txt'), before: null, after: 'c\n' },
    ];
    await expect(commitPlan(files)).rejects.toThrow('Failed to write the patch; no file was changed');
    expect(listFiles(cwd)).toEqual(['a.txt', 'blocker']);
    expect(readFileSync(join(cwd, 'a.txt'), 'utf8')).toBe('a\n');
  });

  it('rolls back renames already done when a later one fails', async () => {
    const { cwd } = makeWorkspace();
    writeFileSync(join(cwd, 'a.txt'), 'a\n');
    writeFileSync(join(cwd, 'gone.txt'), 'g\n');
    mkdirSync(join(cwd, 'occupied'));
    writeFileSync(join(cwd, 'occupied/inner.txt'), 'x\n');
    const files = [
      { realPath: join(cwd, 'a.txt'), before: 'a\n', after: 'A\n' },
      { realPath: join(cwd, 'fresh.txt'), before: null, after: 'f\n' },
      // A non-empty directory where the plan expected no file: the rename onto it fails.
      { realPath: join(cwd, 'occupied'), before: null, after: 'o\n' },
      { realPath: join(cwd, 'gone.txt'), before: 'g\n', after: null },
    ];
    await expect(commitPlan(files)).rejects.toThrow('no file was changed');
    expect(listFiles(cwd)).toEqual(['a.txt', 'gone.txt', 'occupied/inner.txt']);
    expect(readFileSync(join(cwd, 'a.txt'), 'utf8')).toBe('a\n');
  });
});
