// `conduit doctor` against chat-only and responses-only fake endpoints: the library probe in process, and
// the real CLI (spawned asynchronously so the in-process fake server keeps answering).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { probeProvider } from '../../src/providers/doctor.js';
import { autoReply, type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { makeFamily, makeProvider } from './helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'conduit.js');
let fake: FakeModelServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function doctor(baseUrl: string, wire: 'chat' | 'responses', extra: string[] = []) {
  const home = mkdtempSync(join(tmpdir(), 'conduit-doctor-'));
  writeFileSync(
    join(home, 'config.toml'),
    // danger-full-access: these tests are about the provider; doctor also fails where the sandbox cannot work.
    `model = "fake-model"\nmodel_provider = "local"\nsandbox_mode = "danger-full-access"\n[model_providers.local]\nname = "Local"\nbase_url = "${baseUrl}"\nwire_api = "${wire}"\n`,
  );
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [BIN, 'doctor', '--timeout', '20', ...extra],
      {
        cwd: home,
        env: { PATH: process.env.PATH, CONDUIT_HOME: home },
      },
    );
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const row = (stdout: string, label: string) => stdout.split('\n').find((l) => l.startsWith(label)) ?? '';

describe('conduit doctor', () => {
  it('prints a correct table for a chat-only endpoint', async () => {
    fake = await startFakeModelServer({ wires: ['chat'], onEmpty: 'auto', models: ['fake-model', 'other'] });
    const { code, stdout } = await doctor(fake.url, 'chat');
    expect(code).toBe(0);
    expect(stdout).toContain('wire_api = chat, quirks = generic');
    expect(stdout).toMatch(/Models\s+yes: 2 models; "fake-model" listed/);
    expect(row(stdout, 'answers')).toMatch(/no: .*HTTP 404.*yes: "ok"/);
    expect(row(stdout, 'streams (SSE)')).toMatch(/^streams \(SSE\)\s+-\s+yes: SSE, 1 text deltas$/);
    expect(row(stdout, 'usage in stream')).toMatch(/yes: 10 in \/ 2 out$/);
    expect(row(stdout, 'tool calls')).toMatch(/yes: JSON arguments$/);
    expect(stdout).not.toContain('! ');
  });

  it('for a responses-only endpoint configured as chat, fails and says which wire to use', async () => {
    fake = await startFakeModelServer({ wires: ['responses'], onEmpty: 'auto' });
    const { code, stdout } = await doctor(fake.url, 'chat');
    expect(code).toBe(1);
    expect(row(stdout, 'answers')).toMatch(/^answers\s+yes: "ok"\s+no: .*HTTP 404/);
    expect(row(stdout, 'tool calls')).toMatch(/yes: JSON arguments\s+-$/);
    expect(stdout).toContain(
      '! Only the responses wire answers: set wire_api = "responses" in [model_providers.local].',
    );
  });

  it('prints JSON with --json', async () => {
    fake = await startFakeModelServer({ wires: ['responses'], onEmpty: 'auto' });
    const { code, stdout } = await doctor(fake.url, 'responses', ['--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.wires.responses.answers.ok).toBe(true);
    expect(report.wires.chat.answers.ok).toBe(false);
  });

  it('reports the reasoning field, missing usage and text-instead-of-tool-call (library probe)', async () => {
    fake = await startFakeModelServer({ chatStreamOptions: 'ignore' });
    fake.setHandler((req) => {
      const tools = (req.body as { tools?: unknown[] }).tools;
      if (req.wire === 'responses') return autoReply(req);
      return {
        reasoningField: 'reasoning',
        steps: [
          { type: 'reasoning', content: 'hmm' },
          { type: 'text', text: tools ? '{"name": "get_magic_number"}' : 'ok' },
        ],
      };
    });
    const report = await probeProvider(makeProvider({ baseUrl: fake.url, wireApi: 'chat' }), {
      model: 'fake-model',
      family: makeFamily(),
      timeoutMs: 20_000,
    });
    expect(report.wires.chat.reasoning).toEqual({ ok: true, detail: 'reasoning' });
    expect(report.wires.chat.usage.ok).toBe(false);
    expect(report.wires.chat.toolCalls).toMatchObject({
      ok: false,
      detail: expect.stringContaining('answered in text'),
    });
    expect(report.advice.join('\n')).toMatch(/no token usage[\s\S]*tool-call parser/);
  });

  it('stops before probing when the API key is missing', async () => {
    const report = await probeProvider(makeProvider({ envKey: 'NO_SUCH_KEY_FOR_DOCTOR' }), {
      model: 'm',
      family: makeFamily(),
      env: {},
    });
    expect(report.auth).toMatchObject({
      ok: false,
      detail: expect.stringContaining('NO_SUCH_KEY_FOR_DOCTOR'),
    });
    expect(report.wires.chat.answers.ok).toBeUndefined();
  });
});
