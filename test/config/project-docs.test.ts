import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatProjectDocsMessage,
  loadProjectDocs,
  projectDocDirectories,
} from '../../src/config/project-docs.js';

function tree() {
  const root = mkdtempSync(join(tmpdir(), 'conduit-docs-'));
  const repo = join(root, 'repo');
  const sub = join(repo, 'pkg', 'sub');
  const home = join(root, 'home');
  mkdirSync(sub, { recursive: true });
  mkdirSync(join(repo, '.git'));
  mkdirSync(home);
  return { root, repo, sub, home };
}

describe('AGENTS.md discovery', () => {
  it('walks from the git root down to the cwd', () => {
    const { repo, sub, home } = tree();
    writeFileSync(join(repo, 'AGENTS.md'), 'root rules');
    writeFileSync(join(repo, 'pkg', 'AGENTS.md'), '   \n');
    writeFileSync(join(sub, 'AGENTS.md'), 'sub rules');
    expect(projectDocDirectories(sub)).toEqual([repo, join(repo, 'pkg'), sub]);
    expect(loadProjectDocs({ cwd: sub, conduitHome: home, maxBytes: 1000 })).toBe('root rules\n\nsub rules');
  });

  it('prefers AGENTS.override.md, then AGENTS.md, then fallbacks; symlinks count', () => {
    const { repo, sub, home, root } = tree();
    writeFileSync(join(repo, 'AGENTS.md'), 'plain');
    writeFileSync(join(repo, 'AGENTS.override.md'), 'override');
    writeFileSync(join(root, 'target.md'), 'linked');
    symlinkSync(join(root, 'target.md'), join(sub, 'CLAUDE.md'));
    expect(
      loadProjectDocs({ cwd: sub, conduitHome: home, maxBytes: 1000, fallbackFilenames: ['CLAUDE.md'] }),
    ).toBe('override\n\nlinked');
  });

  it('only reads the cwd outside a git repository', () => {
    const { root, home } = tree();
    const plain = join(root, 'plain', 'x');
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(root, 'plain', 'AGENTS.md'), 'parent');
    writeFileSync(join(plain, 'AGENTS.md'), 'here');
    expect(loadProjectDocs({ cwd: plain, conduitHome: home, maxBytes: 1000 })).toBe('here');
  });

  it('shares one byte budget and never splits a character', () => {
    const { repo, sub, home } = tree();
    writeFileSync(join(repo, 'AGENTS.md'), 'ééé');
    writeFileSync(join(sub, 'AGENTS.md'), 'more');
    expect(loadProjectDocs({ cwd: sub, conduitHome: home, maxBytes: 5 })).toBe('éé');
    expect(loadProjectDocs({ cwd: sub, conduitHome: home, maxBytes: 8 })).toBe('ééé\n\nmo');
    expect(loadProjectDocs({ cwd: sub, conduitHome: home, maxBytes: 0 })).toBeUndefined();
  });

  it('puts the global file first with the separator', () => {
    const { repo, home } = tree();
    writeFileSync(join(home, 'AGENTS.md'), ' global \n');
    writeFileSync(join(repo, 'AGENTS.md'), 'project');
    expect(loadProjectDocs({ cwd: repo, conduitHome: home, maxBytes: 100 })).toBe(
      'global\n\n--- project-doc ---\n\nproject',
    );
    expect(formatProjectDocsMessage('/w', 'body')).toBe(
      '# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>\nbody\n</INSTRUCTIONS>',
    );
  });
});
