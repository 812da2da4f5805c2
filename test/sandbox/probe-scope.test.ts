// Running a command needs only the bwrap preflight; the slower informational checks (the Landlock ABI
// through python3, user namespaces, bwrap's version) run for `conduit doctor` alone. A python3 shim on
// PATH records whether it was run.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeSandbox, probeSandboxForCommands } from '../../src/sandbox/probe.js';

const dir = mkdtempSync(join(tmpdir(), 'conduit-probe-'));
const marker = join(dir, 'python3-ran');
writeFileSync(join(dir, 'python3'), `#!/bin/sh\ntouch ${JSON.stringify(marker)}\necho 0\n`);
chmodSync(join(dir, 'python3'), 0o755);
const savedPath = process.env.PATH;
process.env.PATH = `${dir}:${savedPath}`;
afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('sandbox probe scope', () => {
  it('the command-time probe runs only the bwrap preflight; doctor’s probe adds the rest', async () => {
    const forCommands = await probeSandboxForCommands();
    expect(existsSync(marker)).toBe(false);
    expect(forCommands).not.toHaveProperty('landlockAbi');

    const full = await probeSandbox();
    expect(existsSync(marker)).toBe(true);
    expect(full.landlockAbi).toBe(0);
    // The full report reuses the preflight instead of repeating it.
    expect(full.bwrap.works).toBe(forCommands.bwrap.works);
    if (full.bwrap.path) expect(full.userNamespaces).not.toBeNull();
  });
});
