import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTECTED_NAMES } from '../../src/sandbox/protected-names.js';
import {
  candidateWritableRoots,
  projectRoots,
  protectedSubpaths,
  resolveWritableRoots,
} from '../../src/sandbox/writable-roots.js';
import { FULL_ACCESS, READ_ONLY, workspaceWrite } from './helpers.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'conduit-roots-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('candidateWritableRoots', () => {
  it('is cwd, the configured roots, /tmp and $TMPDIR for workspace-write', () => {
    expect(
      candidateWritableRoots(workspaceWrite({ writableRoots: ['/data', 'rel'] }), '/ws', '/var/tmpdir'),
    ).toEqual(['/ws', '/data', '/ws/rel', '/tmp', '/var/tmpdir']);
  });

  it('honours the exclusions and has no roots for the other policies', () => {
    const policy = workspaceWrite({ excludeSlashTmp: true, excludeTmpdirEnvVar: true });
    expect(candidateWritableRoots(policy, '/ws', '/t')).toEqual(['/ws']);
    expect(candidateWritableRoots(workspaceWrite(), '/ws', undefined)).toEqual(['/ws', '/tmp']);
    expect(candidateWritableRoots(READ_ONLY, '/ws', '/t')).toEqual([]);
    expect(candidateWritableRoots(FULL_ACCESS, '/ws', '/t')).toEqual([]);
  });
});

describe('protected subpaths', () => {
  it('is one list: .git, .conduit, .codex and .agents', () => {
    expect(PROTECTED_NAMES).toEqual(['.git', '.conduit', '.codex', '.agents']);
  });

  it('reserves missing names only in the workspace and configured roots, not /tmp or $TMPDIR', () => {
    const policy = workspaceWrite({ writableRoots: [join(dir, 'extra'), join(dir, 'gone')] });
    mkdirSync(join(dir, 'extra'), { recursive: true });
    mkdirSync(join(dir, 'ws2'), { recursive: true });
    expect(projectRoots(policy, join(dir, 'ws2'))).toEqual([join(dir, 'ws2'), join(dir, 'extra')]);
  });

  it('protects .git, .conduit and .codex directories that exist', () => {
    const ws = join(dir, 'plain');
    mkdirSync(join(ws, '.git'), { recursive: true });
    mkdirSync(join(ws, '.conduit'));
    expect(protectedSubpaths(ws)).toEqual([join(ws, '.git'), join(ws, '.conduit')]);
  });

  it("protects a worktree's .git file and the gitdir it points to", () => {
    const gitdir = join(dir, 'main-repo', '.git', 'worktrees', 'wt');
    mkdirSync(gitdir, { recursive: true });
    const ws = join(dir, 'wt');
    mkdirSync(ws);
    writeFileSync(join(ws, '.git'), `gitdir: ${gitdir}\n`);
    expect(protectedSubpaths(ws)).toEqual([join(ws, '.git'), gitdir]);
    writeFileSync(join(ws, '.git'), 'gitdir: ../main-repo/.git/worktrees/wt\n');
    expect(protectedSubpaths(ws)).toEqual([join(ws, '.git'), gitdir]);
  });

  it('resolves roots through symlinks, drops duplicates and missing directories', () => {
    const ws = join(dir, 'plain');
    symlinkSync(ws, join(dir, 'link'));
    const roots = resolveWritableRoots(
      workspaceWrite({ writableRoots: [join(dir, 'link'), join(dir, 'missing')], excludeSlashTmp: true }),
      ws,
      undefined,
    );
    expect(roots).toEqual([{ root: ws, readOnlySubpaths: [join(ws, '.git'), join(ws, '.conduit')] }]);
  });
});
