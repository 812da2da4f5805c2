import { describe, expect, it } from 'vitest';
import { explainUnavailable, probeSandbox, type SandboxProbe } from '../../src/sandbox/probe.js';

const linux = (bwrap: Partial<SandboxProbe['bwrap']>): SandboxProbe => ({
  platform: 'linux',
  arch: 'x64',
  isRoot: false,
  bwrap: { path: '/usr/bin/bwrap', works: false, procMount: true, seccomp: false, ...bwrap },
  userNamespaces: false,
  landlockAbi: 7,
  seatbelt: false,
});

describe('probeSandbox', () => {
  it('runs once per process and describes this machine', async () => {
    const first = probeSandbox();
    expect(probeSandbox()).toBe(first);
    const probe = await first;
    expect(probe.platform).toBe(process.platform);
    expect(probe.isRoot).toBe(process.getuid?.() === 0);
    if (probe.bwrap.works) {
      expect(probe.bwrap.path).toMatch(/bwrap$/);
      expect(probe.bwrap.error).toBeUndefined();
    } else {
      expect(probe.bwrap.error ?? probe.bwrap.path).toBeDefined();
    }
  });
});

describe('explainUnavailable', () => {
  it('tells the user to install bubblewrap when it is missing', () => {
    const text = explainUnavailable(linux({ path: null }));
    expect(text).toContain('not installed');
    expect(text).toContain('apt-get install bubblewrap');
    expect(text).toContain('danger-full-access');
  });

  it("quotes bwrap's error and points at user namespaces when they are blocked", () => {
    const text = explainUnavailable(
      linux({
        error:
          'No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces',
      }),
    );
    expect(text).toContain('No permissions to create new namespace');
    expect(text).toContain('user namespaces look blocked');
  });

  it('explains macOS and other platforms', () => {
    const mac = { ...linux({}), platform: 'darwin' as const, seatbelt: false };
    expect(explainUnavailable(mac)).toContain('/usr/bin/sandbox-exec');
    expect(explainUnavailable({ ...linux({}), platform: 'win32' })).toContain(
      'no OS sandbox is available on win32',
    );
  });
});
