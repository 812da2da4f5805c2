// These machines run Linux: the profile is checked as text; macOS runs it with sandbox-exec.
import { describe, expect, it } from 'vitest';
import { buildSeatbeltArgv, buildSeatbeltProfile } from '../../src/sandbox/seatbelt.js';
import { FULL_ACCESS, READ_ONLY, workspaceWrite } from './helpers.js';

describe('buildSeatbeltProfile', () => {
  it('read-only: closed by default, reads everywhere, no writes, no network', () => {
    const { profile, params } = buildSeatbeltProfile(READ_ONLY, []);
    expect(profile.startsWith('(version 1)\n(deny default)\n')).toBe(true);
    expect(profile).toContain('(allow file-read*)');
    expect(profile).not.toContain('(allow file-write*');
    expect(profile).not.toContain('network-outbound');
    expect(params).toEqual([]);
  });

  it('workspace-write: one parameterised clause per root, excluding its read-only subpaths', () => {
    const roots = [
      { root: '/Users/me/ws', readOnlySubpaths: ['/Users/me/ws/.git', '/Users/me/ws/.codex'] },
      { root: '/private/tmp', readOnlySubpaths: [] },
    ];
    const { profile, params } = buildSeatbeltProfile(workspaceWrite(), roots);
    expect(params).toEqual([
      '-DWRITABLE_ROOT_0=/Users/me/ws',
      '-DWRITABLE_ROOT_0_RO_0=/Users/me/ws/.git',
      '-DWRITABLE_ROOT_0_RO_1=/Users/me/ws/.codex',
      '-DWRITABLE_ROOT_1=/private/tmp',
    ]);
    expect(profile).toContain(
      '(require-all (subpath (param "WRITABLE_ROOT_0")) (require-not (subpath (param "WRITABLE_ROOT_0_RO_0")))' +
        ' (require-not (subpath (param "WRITABLE_ROOT_0_RO_1"))))',
    );
    expect(profile).toContain('(subpath (param "WRITABLE_ROOT_1"))');
    // Paths never appear in the profile text itself, so they need no quoting.
    expect(profile).not.toContain('/Users/me');
  });

  it('adds the network clauses when network is allowed', () => {
    const { profile, params } = buildSeatbeltProfile(
      workspaceWrite({ networkAccess: true }),
      [],
      '/var/folders/x/C',
    );
    expect(profile).toContain('(allow network-outbound)');
    expect(profile).toContain('(param "DARWIN_USER_CACHE_DIR")');
    expect(params).toEqual(['-DDARWIN_USER_CACHE_DIR=/var/folders/x/C']);
    expect(buildSeatbeltProfile(workspaceWrite({ networkAccess: true }), []).profile).not.toContain(
      'DARWIN_USER_CACHE_DIR',
    );
  });

  it('danger-full-access writes everywhere with network', () => {
    const { profile } = buildSeatbeltProfile(FULL_ACCESS, []);
    expect(profile).toContain('(allow file-write*)\n');
    expect(profile).toContain('(allow network-outbound)');
  });

  it('builds the sandbox-exec argv with the command after --', () => {
    const p = buildSeatbeltProfile(workspaceWrite(), [{ root: '/w', readOnlySubpaths: [] }]);
    expect(buildSeatbeltArgv('/usr/bin/sandbox-exec', p, ['ls', '-la'])).toEqual([
      '/usr/bin/sandbox-exec',
      '-p',
      p.profile,
      '-DWRITABLE_ROOT_0=/w',
      '--',
      'ls',
      '-la',
    ]);
  });
});
