import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome } from '../config/helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'conduit.js');

function conduit(args: string[], toml?: string) {
  const { home, cwd } = makeHome(toml);
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, CONDUIT_HOME: home },
    encoding: 'utf8',
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, home };
}

describe('conduit CLI skeleton', () => {
  it('prints its version and help', () => {
    expect(conduit(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = conduit(['--help']).stdout;
    for (const word of ['config', '--config', '--profile', '--model']) expect(help).toContain(word);
  });

  it('config show reports values with their sources, and the provider URL', () => {
    const toml =
      '[model_providers.local]\nname = "Local"\nbase_url = "http://127.0.0.1:8000/v1"\nquery_params = { "api-version" = "1" }\n[profiles.p]\nmodel_provider = "local"\n';
    const res = conduit(['-p', 'p', '-m', 'qwen3', 'config', 'show', '--json'], toml);
    expect(res.status).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.values.model).toEqual({ value: 'qwen3', source: '--model' });
    expect(report.values.model_provider.source).toMatch(/^profile p \(.*config\.toml:6:18\)$/);
    expect(report.provider.url).toBe('http://127.0.0.1:8000/v1/chat/completions?api-version=1');
    const text = conduit(['config', 'show', '-c', 'model=o3']);
    expect(text.stdout).toMatch(/model\s+o3\s+-c model=o3/);
  });

  it('never prints secrets', () => {
    const toml =
      '[model_providers.s]\nname = "S"\nexperimental_bearer_token = "sk-secret"\nhttp_headers = { Authorization = "Bearer sk-secret2" }\n';
    const res = conduit(['-c', 'model_provider=s', 'config', 'show'], toml);
    expect(res.status).toBe(0);
    expect(res.stdout).not.toContain('sk-secret');
    expect(res.stdout).toContain('<redacted>');
  });

  it('a bad config exits 2 with a located message and no stack trace', () => {
    const res = conduit(['config', 'show'], 'model = "m"\napproval_policy = "sometimes"\n');
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(
      /config\.toml:2:19: approval_policy: expected "untrusted" or "on-failure" or "on-request" or "never", got "sometimes"\n$/,
    );
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing CONDUIT_HOME directory is reported', () => {
    const res = spawnSync(process.execPath, [BIN, 'config', 'show'], {
      env: { PATH: process.env.PATH, CONDUIT_HOME: '/nonexistent/conduit-home' },
      encoding: 'utf8',
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('CONDUIT_HOME=/nonexistent/conduit-home: no such directory');
  });
});
