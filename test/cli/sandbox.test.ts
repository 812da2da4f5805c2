// `conduit sandbox` end to end through bin/conduit.js (dist/ is built by the global test setup).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_SANDBOX } from '../helpers/sandbox.js';

const bin = join(import.meta.dirname, '../../bin/conduit.js');
const cwd = realpathSync(mkdtempSync('/tmp/conduit-sbx-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function conduit(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('conduit sandbox', () => {
  it('rejects an unknown policy and misplaced flags with a clear message', () => {
    const bad = conduit(['sandbox', '--policy', 'open', '--', 'true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--policy: unknown sandbox policy "open"');
    const misplaced = conduit(['sandbox', '--add-dir', '/x', '--', 'true']);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('need --policy workspace-write');
  });

  it('refuses to run unsandboxed when bubblewrap is missing, and says what to install', () => {
    const r = conduit(['sandbox', '--', 'true'], { PATH: '/nonexistent' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('apt-get install bubblewrap');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.skipIf(NO_SANDBOX !== undefined)(
    `exits with the command exit code and applies the policy${NO_SANDBOX ? ` [skipped: no working sandbox: ${NO_SANDBOX}]` : ''}`,
    () => {
      expect(conduit(['sandbox', '--', 'sh', '-c', 'exit 7']).code).toBe(7);
      const ro = conduit(['sandbox', '--', 'sh', '-c', 'echo x > f']);
      expect(ro.code).not.toBe(0);
      expect(ro.stderr).toContain('Read-only file system');
      const ww = conduit([
        'sandbox',
        '--policy',
        'workspace-write',
        '--',
        'sh',
        '-c',
        'echo x > f; echo $CONDUIT_SANDBOX_NETWORK_DISABLED',
      ]);
      expect(ww).toMatchObject({ code: 0, stdout: '1\n' });
      expect(readFileSync(join(cwd, 'f'), 'utf8')).toBe('x\n');
    },
  );

  it('runs danger-full-access without any sandbox', () => {
    const r = conduit([
      'sandbox',
      '--policy',
      'danger-full-access',
      '--',
      'sh',
      '-c',
      'echo x > g; echo "[$CONDUIT_SANDBOX_NETWORK_DISABLED]"',
    ]);
    expect(r).toMatchObject({ code: 0, stdout: '[]\n' });
    expect(existsSync(join(cwd, 'g'))).toBe(true);
  });
});
