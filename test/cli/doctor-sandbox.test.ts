import { describe, expect, it } from 'vitest';
import { formatSandboxProbe } from '../../src/cli/doctor.js';
import { probeSandbox, type SandboxProbe } from '../../src/sandbox/probe.js';

const missing: SandboxProbe = {
  platform: 'linux',
  arch: 'x64',
  isRoot: false,
  bwrap: { path: null, works: false, procMount: false, seccomp: false },
  userNamespaces: null,
  landlockAbi: null,
  seatbelt: false,
};

describe('conduit doctor: sandbox section', () => {
  it('says what to install when no sandbox works', () => {
    const text = formatSandboxProbe(missing, 'workspace-write');
    expect(text).toContain('bubblewrap         not installed');
    expect(text).toContain('apt-get install bubblewrap');
  });

  it('gives no advice under danger-full-access, which needs no sandbox', () => {
    expect(formatSandboxProbe(missing, 'danger-full-access')).not.toContain('!');
  });

  it('reports the real probe of this machine', async () => {
    const probe = await probeSandbox();
    const text = formatSandboxProbe(probe, 'read-only');
    expect(text).toContain(`sandbox works      ${probe.bwrap.works ? 'yes' : 'no'}`);
  });
});
