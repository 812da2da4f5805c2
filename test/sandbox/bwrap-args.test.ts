import { describe, expect, it } from 'vitest';
import { buildBwrapArgs } from '../../src/sandbox/bwrap-args.js';

const base = { command: ['bash', '-lc', 'ls'], cwd: '/ws', isRoot: true, mountProc: true };

/** Index of the first occurrence of a flag followed by its arguments. */
function indexOfSeq(args: string[], ...seq: string[]): number {
  return args.findIndex((_, i) => seq.every((s, j) => args[i + j] === s));
}

describe('buildBwrapArgs', () => {
  it('builds the read-only sandbox: caps dropped, read-only root, no network, command last', () => {
    const args = buildBwrapArgs({ ...base, writableRoots: [], network: false });
    expect(args).toEqual([
      '--new-session',
      '--die-with-parent',
      '--cap-drop',
      'ALL',
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--unshare-cgroup-try',
      '--unshare-net',
      '--proc',
      '/proc',
      '--chdir',
      '/ws',
      '--',
      'bash',
      '-lc',
      'ls',
    ]);
  });

  it('binds writable roots after the read-only root and protected paths after every writable root', () => {
    const args = buildBwrapArgs({
      ...base,
      network: false,
      writableRoots: [
        { root: '/tmp/ws', readOnlySubpaths: ['/tmp/ws/.git', '/tmp/ws/.conduit'] },
        { root: '/tmp', readOnlySubpaths: [] },
      ],
    });
    const rootBind = indexOfSeq(args, '--ro-bind', '/', '/');
    const wsBind = indexOfSeq(args, '--bind', '/tmp/ws', '/tmp/ws');
    const tmpBind = indexOfSeq(args, '--bind', '/tmp', '/tmp');
    const gitBind = indexOfSeq(args, '--ro-bind', '/tmp/ws/.git', '/tmp/ws/.git');
    const conduitBind = indexOfSeq(args, '--ro-bind', '/tmp/ws/.conduit', '/tmp/ws/.conduit');
    expect(rootBind).toBeGreaterThanOrEqual(0);
    expect(wsBind).toBeGreaterThan(rootBind);
    // /tmp, a parent of the workspace, is bound later; .git must still come after it.
    expect(gitBind).toBeGreaterThan(tmpBind);
    expect(conduitBind).toBeGreaterThan(tmpBind);
  });

  it('keeps the network namespace when network is allowed', () => {
    const args = buildBwrapArgs({ ...base, writableRoots: [], network: true });
    expect(args).not.toContain('--unshare-net');
  });

  it('asks for a user namespace only when not root, and can skip /proc', () => {
    const user = buildBwrapArgs({
      ...base,
      isRoot: false,
      mountProc: false,
      writableRoots: [],
      network: false,
    });
    expect(user).toContain('--unshare-user-try');
    expect(user).not.toContain('--proc');
    expect(user).toContain('--unshare-pid');
    expect(buildBwrapArgs({ ...base, writableRoots: [], network: false })).not.toContain(
      '--unshare-user-try',
    );
  });

  it('gives a root caller a user namespace when they work, which empties the capability bounding set', () => {
    const args = buildBwrapArgs({ ...base, userNamespace: true, writableRoots: [], network: false });
    expect(args).toContain('--unshare-user');
    expect(args).not.toContain('--unshare-user-try');
    const blocked = buildBwrapArgs({ ...base, userNamespace: false, writableRoots: [], network: false });
    expect(blocked).not.toContain('--unshare-user');
  });

  it('passes the seccomp fd before the command', () => {
    const args = buildBwrapArgs({ ...base, writableRoots: [], network: false, seccompFd: 3 });
    expect(indexOfSeq(args, '--seccomp', '3')).toBeLessThan(args.indexOf('--'));
  });

  it('never lets the command be read as bwrap options', () => {
    const args = buildBwrapArgs({
      ...base,
      command: ['--bind', '/', '/'],
      writableRoots: [],
      network: false,
    });
    expect(args.slice(args.indexOf('--'))).toEqual(['--', '--bind', '/', '/']);
  });
});
