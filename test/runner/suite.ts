// The job-tool contract, run against `conduit runner serve` on each backend: the same calls, the same answers.

import { expect, it } from 'vitest';
import type { RunnerClient } from './helpers.js';
import { waitForState } from './helpers.js';

let counter = 0;
/** A fresh idempotency key per job (tests of the same server must not collide). */
export function key(label: string): string {
  counter++;
  return `${label}-${process.pid}-${counter}-${Date.now()}`;
}

export function jobToolSuite(runner: () => RunnerClient): void {
  it('submits, waits, reads logs and fetches artifacts', async () => {
    const r = runner();
    const submitted = await r.call('submit_job', {
      idempotency_key: key('basic'),
      script:
        'echo hello; echo oops >&2; mkdir -p out; echo \'{"a":1,"b":[2]}\' > out/result.json; seq 1 30 > out/lines.txt',
      outputs: ['out/**'],
      wait_s: 60,
    });
    expect(submitted.isError, submitted.text).toBe(false);
    expect(submitted.structured).toMatchObject({
      state: 'succeeded',
      exit_code: 0,
      attempt: 1,
      deduplicated: false,
    });
    expect(submitted.structured.job_id).toMatch(/^[0-9a-f]{32}$/);
    expect(submitted.structured.log_tail.text).toContain('hello');
    const id = submitted.structured.job_id;

    const stdout = await r.call('read_job_log', { job_id: id, stream: 'stdout' });
    expect(stdout.structured).toMatchObject({
      text: 'hello\n',
      offset: 0,
      next_offset: 6,
      eof: true,
      job_finished: true,
    });
    const stderr = await r.call('read_job_log', { job_id: id, stream: 'stderr' });
    expect(stderr.structured.text).toBe('oops\n');
    const paged = await r.call('read_job_log', { job_id: id, stream: 'stdout', offset: 2, max_bytes: 2 });
    expect(paged.structured).toMatchObject({ text: 'll', offset: 2, next_offset: 4, eof: false });
    const fromEnd = await r.call('read_job_log', { job_id: id, stream: 'stdout', offset: -3 });
    expect(fromEnd.structured.text).toBe('lo\n');

    const list = await r.call('list_artifacts', { job_id: id });
    expect(list.structured.total).toBe(2);
    expect(list.structured.items.map((item: { path: string }) => item.path)).toEqual([
      'out/lines.txt',
      'out/result.json',
    ]);
    const page = await r.call('list_artifacts', { job_id: id, limit: 1 });
    expect(page.structured).toMatchObject({ total: 2, next_cursor: '1' });

    const summary = await r.call('get_artifact', { job_id: id, path: 'out/result.json' });
    expect(summary.structured).toMatchObject({ mime: 'application/json', json_keys: ['a', 'b'], lines: 1 });
    const lines = await r.call('get_artifact', { job_id: id, path: 'out/lines.txt' });
    expect(lines.structured).toMatchObject({
      lines: 30,
      head: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    });
    expect(lines.structured.tail.at(-1)).toBe('30');
    const text = await r.call('get_artifact', {
      job_id: id,
      path: 'out/lines.txt',
      mode: 'text',
      max_bytes: 4,
    });
    expect(text.structured).toMatchObject({ text: '1\n2\n', truncated: true });
    const link = await r.call('get_artifact', { job_id: id, path: 'out/result.json', mode: 'link' });
    const resource = link.raw.content[0] as { type: string; uri: string };
    expect(resource.type).toBe('resource_link');
    const read = await r.client.readResource({ uri: resource.uri });
    expect((read.contents[0] as { text: string }).text).toBe('{"a":1,"b":[2]}\n');
  });

  it('places uploaded inputs in the workspace', async () => {
    const r = runner();
    const put = await r.call('put_input', { name: 'data', content: 'aGVsbG8gaW5wdXQ=', encoding: 'base64' });
    expect(put.structured).toMatchObject({ size: 11 });
    expect(put.structured.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const job = await r.call('submit_job', {
      idempotency_key: key('inputs'),
      command: ['cat', 'in/data.txt'],
      inputs: [{ path: 'in/data.txt', digest: put.structured.digest }],
      wait_s: 60,
    });
    expect(job.structured).toMatchObject({ state: 'succeeded' });
    expect(job.structured.log_tail.text).toBe('hello input');
  });

  it('returns the existing job for a repeated key and refuses the key with another spec', async () => {
    const r = runner();
    const k = key('idem');
    const first = await r.call('submit_job', { idempotency_key: k, command: ['echo', 'once'], wait_s: 60 });
    const again = await r.call('submit_job', { idempotency_key: k, command: ['echo', 'once'] });
    expect(again.structured).toMatchObject({
      job_id: first.structured.job_id,
      deduplicated: true,
      state: 'succeeded',
    });
    const log = await r.call('read_job_log', { job_id: first.structured.job_id });
    expect(log.structured.text).toBe('once\n');
    const other = await r.call('submit_job', { idempotency_key: k, command: ['echo', 'twice'] });
    expect(other.isError).toBe(true);
    expect(other.text).toContain('idempotency_key already used');
    expect(other.text).toContain(first.structured.job_id);
  });

  it('cancels a running job and kills its processes', async () => {
    const r = runner();
    const job = await r.call('submit_job', {
      idempotency_key: key('cancel'),
      script: 'echo started; sleep 120',
    });
    const id = job.structured.job_id;
    await waitForState(r, id, 'running');
    const cancelled = await r.call('cancel_job', { job_id: id, reason: 'test' });
    expect(cancelled.isError, cancelled.text).toBe(false);
    expect(cancelled.structured.was_running).toBe(true);
    const done = await r.call('get_job', { job_id: id, wait_s: 30 });
    expect(done.structured).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } });
    const again = await r.call('cancel_job', { job_id: id });
    expect(again.structured).toMatchObject({ state: 'cancelled', was_running: false });
  });

  it('bounds oversize output', async () => {
    const r = runner();
    const job = await r.call('submit_job', {
      idempotency_key: key('big'),
      script: "head -c 20000000 /dev/zero | tr '\\0' x; echo; echo tail-line",
      wait_s: 60,
    });
    expect(job.structured.state).toBe('succeeded');
    expect(Buffer.byteLength(job.text)).toBeLessThan(8192);
    expect(job.structured.log_tail.truncated).toBe(true);
    expect(job.structured.log_tail.text).toContain('log capped at 8388608 bytes');
    const page = await r.call('read_job_log', { job_id: job.structured.job_id, max_bytes: 65536 });
    expect(Buffer.byteLength(page.structured.text)).toBe(65536);
    expect(page.structured.total_bytes).toBeLessThan(8388608 + 200);
    expect(Buffer.byteLength(page.text)).toBeLessThan(70_000);
  });

  it('kills a job over its timeout and reports it', async () => {
    const r = runner();
    const job = await r.call('submit_job', {
      idempotency_key: key('timeout'),
      command: ['sleep', '60'],
      resources: { timeout_s: 1 },
      wait_s: 30,
    });
    expect(job.structured).toMatchObject({ state: 'failed', error: { code: 'timeout' } });
    expect(job.structured.error.message).toContain('timeout_s=1');
  });

  it('kills a job over its memory limit and reports it', async () => {
    const r = runner();
    const hog =
      'const a=[];for(let i=0;i<1500;i++)a.push(Buffer.alloc(1<<20,1));console.log("survived");setTimeout(()=>{},30000)';
    const job = await r.call('submit_job', {
      idempotency_key: key('memory'),
      command: [process.execPath, '-e', hog],
      resources: { memory_mb: 128, timeout_s: 60 },
      wait_s: 60,
    });
    expect(job.structured).toMatchObject({ state: 'failed', error: { code: 'memory_limit' } });
    expect(job.structured.max_rss_mb).toBeGreaterThan(128);
  });

  it('streams progress while get_job waits', async () => {
    const r = runner();
    const job = await r.call('submit_job', {
      idempotency_key: key('progress'),
      script: 'for i in 1 2 3 4; do echo step $i; sleep 0.4; done',
    });
    const messages: string[] = [];
    const done = await r.call('get_job', { job_id: job.structured.job_id, wait_s: 60 }, (p) => {
      if (p.message) messages.push(p.message);
    });
    expect(done.structured.state).toBe('succeeded');
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.startsWith('step '))).toBe(true);
  });

  it('answers bad input with clear tool errors', async () => {
    const r = runner();
    const noKey = await r.call('submit_job', { command: ['true'] });
    expect(noKey.isError).toBe(true);
    expect(noKey.text).toContain('idempotency_key');
    const negative = await r.call('submit_job', {
      idempotency_key: key('neg'),
      command: ['true'],
      resources: { timeout_s: -5 },
    });
    expect(negative.isError).toBe(true);
    expect(negative.text).toContain('timeout_s');
    const both = await r.call('submit_job', {
      idempotency_key: key('both'),
      command: ['true'],
      script: 'true',
    });
    expect(both.text).toContain('exactly one of command');
    const leave = await r.call('submit_job', {
      idempotency_key: key('esc'),
      command: ['true'],
      cwd: '../..',
    });
    expect(leave.text).toContain('must not leave');
    const secret = await r.call('submit_job', {
      idempotency_key: key('sec'),
      command: ['true'],
      env: { API_TOKEN: 'x' },
    });
    expect(secret.text).toContain('env.API_TOKEN');
    const unknown = await r.call('get_job', { job_id: '0123456789abcdef0123456789abcdef' });
    expect(unknown).toMatchObject({ isError: true });
    expect(unknown.text).toContain('unknown job_id');
    const badLog = await r.call('read_job_log', { job_id: 'nope' });
    expect(badLog.text).toContain('unknown job_id');
    const missing = await r.call('get_artifact', { job_id: '0123456789abcdef0123456789abcdef', path: 'x' });
    expect(missing.text).toContain('unknown job_id');
  });
}
