// The runner's pure parts: spec normalisation and hashing, ids, globs, signatures, log paging, settings.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { completeUtf8Prefix } from '../../src/runner/backend.js';
import { globToRegExp } from '../../src/runner/glob.js';
import { CappedStream } from '../../src/runner/log-cap.js';
import { resolveRunnerSettings } from '../../src/runner/options.js';
import { signJob, verifyJob } from '../../src/runner/signing.js';
import { canonicalJson, type JobSpec, jobIdFor, specHash } from '../../src/runner/spec.js';
import { normalizeSpec } from '../../src/runner/tools/normalize.js';

const KEY = Buffer.from('unit-test-key-0123456789');

function spec(args: Parameters<typeof normalizeSpec>[0]): JobSpec {
  const result = normalizeSpec(args);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('job specs', () => {
  it('hashes equivalent specs alike, whatever the key order or spelled-out defaults', () => {
    const a = spec({ command: ['make'], resources: { timeout_s: 600 } });
    const b = spec({ resources: { network: 'none', memory_mb: 1024 }, command: ['make'], cwd: './' });
    expect(specHash(a)).toBe(specHash(b));
    expect(specHash(spec({ command: ['make', 'test'] }))).not.toBe(specHash(a));
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });

  it('derives job ids from tenant and key', () => {
    expect(jobIdFor('t1', 'key-0001')).toMatch(/^[0-9a-f]{32}$/);
    expect(jobIdFor('t1', 'key-0001')).toBe(jobIdFor('t1', 'key-0001'));
    expect(jobIdFor('t2', 'key-0001')).not.toBe(jobIdFor('t1', 'key-0001'));
  });

  it('names the argument at fault', () => {
    const error = (args: Parameters<typeof normalizeSpec>[0]) =>
      (normalizeSpec(args) as { error: string }).error;
    expect(error({ command: ['x'], environment: 'docker.io/library/node:20' })).toContain('OCI images');
    expect(error({})).toContain('exactly one of command');
    expect(error({ command: ['x'], inputs: [{ path: 'a', digest: 'md5:00' }] })).toContain(
      'inputs[0].digest',
    );
    expect(
      error({ command: ['x'], inputs: [{ path: '/etc/passwd', digest: `sha256:${'0'.repeat(64)}` }] }),
    ).toContain('inputs[0].path');
    expect(error({ command: ['x'], outputs: ['../../*'] })).toContain('outputs[0]');
    expect(error({ command: ['x'], env: { DB_PASSWORD: 'x' } })).toContain('env.DB_PASSWORD');
  });
});

describe('output globs', () => {
  it('matches *, ** and ? by path segment', () => {
    const m = (glob: string, path: string) => globToRegExp(glob).test(path);
    expect(m('out/**', 'out/a/b.txt')).toBe(true);
    expect(m('**/*.xml', 'report.xml')).toBe(true);
    expect(m('**/*.xml', 'a/b/report.xml')).toBe(true);
    expect(m('*.txt', 'a/b.txt')).toBe(false);
    expect(m('log?.txt', 'log1.txt')).toBe(true);
    expect(m('a.b', 'axb')).toBe(false);
  });
});

describe('signed job data', () => {
  const unsigned = {
    v: 1 as const,
    job_id: 'a'.repeat(32),
    tenant: 'default',
    spec: spec({ command: ['true'] }),
    spec_hash: specHash(spec({ command: ['true'] })),
    created_at: '2026-01-01T00:00:00Z',
  };

  it('verifies what the key signed and nothing else', () => {
    const signed = signJob(KEY, unsigned);
    expect(verifyJob(KEY, signed.job_id, signed)).toBeUndefined();
    expect(verifyJob(Buffer.from('another-key-0123456789'), signed.job_id, signed)).toBe('bad signature');
    expect(verifyJob(KEY, signed.job_id, { ...signed, tenant: 'other' })).toBe('bad signature');
    expect(verifyJob(KEY, signed.job_id, { ...signed, spec: spec({ command: ['rm', '-rf', '/'] }) })).toBe(
      'spec does not match its signed hash',
    );
    expect(verifyJob(KEY, 'b'.repeat(32), signed)).toContain('found as job');
    expect(verifyJob(KEY, signed.job_id, unsigned)).toBe('unsigned job spec');
    expect(verifyJob(KEY, signed.job_id, 'rm -rf /')).toBe('job data is not an object');
  });
});

describe('logs', () => {
  it('pages end on whole UTF-8 characters', () => {
    const text = Buffer.from('aé€😀');
    expect(completeUtf8Prefix(text.subarray(0, 2))).toBe(1);
    expect(completeUtf8Prefix(text.subarray(0, 3))).toBe(3);
    expect(completeUtf8Prefix(text.subarray(0, 5))).toBe(3);
    expect(completeUtf8Prefix(text.subarray(0, 9))).toBe(6);
    expect(completeUtf8Prefix(text)).toBe(text.length);
  });

  it('keeps the first cap bytes and says how much it dropped', () => {
    const stream = new CappedStream(10);
    expect(stream.accept(Buffer.from('12345678')).toString()).toBe('12345678');
    expect(stream.accept(Buffer.from('abcdef')).toString()).toBe('ab');
    expect(stream.accept(Buffer.from('zz')).length).toBe(0);
    expect(stream.closingMarker()?.toString()).toContain('6 bytes dropped');
  });
});

describe('runner settings', () => {
  const home = mkdtempSync(join(tmpdir(), 'conduit-runner-units-'));

  it('defaults to the embedded backend under CONDUIT_HOME and resolves config paths there', () => {
    const settings = resolveRunnerSettings({}, { data_dir: 'jobs' }, home, {});
    expect(settings).toMatchObject({
      backend: 'embedded',
      dataDir: join(home, 'jobs'),
      blobDir: join(home, 'jobs', 'blobs'),
    });
  });

  it('refuses the bullmq backend without a Redis URL or a signing key', () => {
    expect(() => resolveRunnerSettings({ backend: 'bullmq' }, {}, home, {})).toThrow(/needs a Redis URL/);
    expect(() =>
      resolveRunnerSettings({ backend: 'bullmq', redisUrl: 'redis://127.0.0.1:1' }, {}, home, {}),
    ).toThrow(/CONDUIT_RUNNER_KEY/);
    expect(() =>
      resolveRunnerSettings({ redisUrl: 'redis://x' }, { backend: 'bullmq' }, home, {
        CONDUIT_RUNNER_KEY: 'short',
      }),
    ).toThrow(/at least 16 bytes/);
    expect(() => resolveRunnerSettings({ backend: 'k8s' }, {}, home, {})).toThrow(
      '--backend k8s: expected embedded or bullmq',
    );
    expect(() => resolveRunnerSettings({ concurrency: '0' }, {}, home, {})).toThrow('--concurrency 0');
  });

  it('reads [runner] from config.toml and names a bad key', async () => {
    writeFileSync(
      join(home, 'config.toml'),
      '[runner]\nbackend = "bullmq"\nredis_url = "redis://10.0.0.5:6379"\n',
    );
    const { config } = await loadConfig({ env: { CONDUIT_HOME: home } });
    expect(config.runner).toEqual({ backend: 'bullmq', redis_url: 'redis://10.0.0.5:6379' });
    writeFileSync(join(home, 'config.toml'), '[runner]\nbackend = "kubernetes"\n');
    await expect(loadConfig({ env: { CONDUIT_HOME: home } })).rejects.toThrow(/runner\.backend/);
  });
});
