import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSandboxProbe } from '../../src/cli/doctor.js';
import { probeSandbox, type SandboxProbe } from '../../src/sandbox/probe.js';
import { startFakeModelServer } from '../fake-model/server.js';
import { BIN } from './mcp-server/helpers.js';

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

describe('conduit doctor where the sandbox cannot work', () => {
  it('exits non-zero and says why and what to do', async () => {
    const fake = await startFakeModelServer({ wires: ['responses'], onEmpty: 'auto' });
    try {
      const home = realpathSync(mkdtempSync(join(tmpdir(), 'conduit-doctor-')));
      writeFileSync(
        join(home, 'config.toml'),
        `model = "fake-model"\nmodel_provider = "local"\nsandbox_mode = "workspace-write"\n[model_providers.local]\nname = "Local"\nbase_url = "${fake.url}"\nwire_api = "responses"\n`,
      );
      // A bwrap that fails the way it does where user namespaces are blocked (Docker's seccomp profile).
      const bin = join(home, 'bin');
      mkdirSync(bin);
      writeFileSync(
        join(bin, 'bwrap'),
        '#!/bin/sh\necho "bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n',
        { mode: 0o755 },
      );
      // Asynchronously: the fake model answers from this process.
      const run = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          [BIN, 'doctor', '--timeout', '20'],
          { cwd: home, env: { PATH: `${bin}:${process.env.PATH}`, CONDUIT_HOME: home } },
          (err, stdout) => resolve({ status: err ? Number(err.code) : 0, stdout }),
        );
      });
      expect(run.stdout).toMatch(/^answers\s+yes/m);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('sandbox works      no: bwrap: No permissions to create new namespace');
      expect(run.stdout).toMatch(
        /^! bubblewrap .* cannot create a sandbox here: .* Fix: user namespaces look blocked/m,
      );
    } finally {
      await fake.close();
    }
  });
});
