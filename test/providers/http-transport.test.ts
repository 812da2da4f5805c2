// The node:http transport under the model client, against a hand-written loopback server (the fake model
// server never compresses): compressed SSE bodies, kept-alive connections, an abort mid-stream, a refused
// connection, and a run of `conduit exec` that never loads undici (fetch's HTTP stack).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, createGzip, deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpSend } from '../../src/providers/http.js';
import { renderResponses } from '../fake-model/render-responses.js';
import { startFakeModelServer } from '../fake-model/server.js';
import { client, makePrompt, makeProvider, run, textOf } from './helpers.js';

const sse = (text: string) =>
  renderResponses(
    {
      steps: [
        { type: 'text', text, deltas: text.split(' ') },
        { type: 'usage', input: 1, output: 1 },
      ],
    },
    'resp_1',
  )
    .map((a) => (a.kind === 'write' ? a.text : ''))
    .join('');

let server: Server;
let base: string;
let handler: (req: IncomingMessage, res: ServerResponse) => void;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  seen.length = 0;
});

const provider = () =>
  makeProvider({ baseUrl: base, wireApi: 'responses', requestMaxRetries: 0, streamMaxRetries: 0 });

describe('model requests over node:http', () => {
  it('decodes gzip, deflate and br bodies, asking for them in accept-encoding', async () => {
    const text = 'compressed hello from the server';
    for (const encoding of ['gzip', 'deflate', 'br']) {
      handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': encoding });
        if (encoding === 'gzip') {
          // Streamed and flushed per event, as a compressing proxy does.
          const gz = createGzip({ flush: constants.Z_SYNC_FLUSH });
          gz.pipe(res);
          gz.end(sse(text));
        } else {
          res.end(encoding === 'br' ? brotliCompressSync(sse(text)) : deflateSync(sse(text)));
        }
      };
      const { events, error } = await run(
        client(provider()).stream(makePrompt(), { model: 'm' }, new AbortController().signal),
      );
      expect(error).toBeUndefined();
      expect(textOf(events)).toBe(text.split(' ').join(''));
      expect(seen.at(-1)?.headers['accept-encoding']).toBe('gzip, deflate, br');
    }
  });

  it('keeps the connection alive between requests', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sse('again'));
    };
    for (let i = 0; i < 3; i++) {
      const { error } = await run(
        client(provider()).stream(makePrompt(), { model: 'm' }, new AbortController().signal),
      );
      expect(error).toBeUndefined();
      // The rest of the body (the chunked terminator) is read after the parser's last event; a turn's
      // next request comes after a tool call, long after that.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((req) => req.socket)).size).toBe(1);
  });

  it('an abort mid-stream ends the read as interrupted and closes the connection', async () => {
    let closed!: Promise<void>;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`${sse('first').split('\n\n')[0]}\n\n`);
      closed = new Promise((resolve) => res.on('close', () => resolve()));
    };
    const controller = new AbortController();
    const events: string[] = [];
    let error: (Error & { kind?: string }) | undefined;
    try {
      for await (const event of client(provider()).stream(makePrompt(), { model: 'm' }, controller.signal)) {
        events.push(event.type);
        controller.abort();
      }
    } catch (err) {
      error = err as Error & { kind?: string };
    }
    expect(events).toEqual(['created']);
    expect(error?.kind).toBe('interrupted');
    await closed;
  });

  it('reports a refused connection with the address and the cause', async () => {
    const refused = makeProvider({
      baseUrl: 'http://127.0.0.1:1/v1',
      wireApi: 'responses',
      requestMaxRetries: 0,
    });
    const { error } = await run(
      client(refused).stream(makePrompt(), { model: 'm' }, new AbortController().signal),
    );
    expect(error?.message).toMatch(
      /could not reach Fake at http:\/\/127\.0\.0\.1:1\/v1\/responses: .*ECONNREFUSED/,
    );
  });

  it('exposes status and headers of an error answer', async () => {
    handler = (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
      res.end('{"error":{"message":"slow down"}}');
    };
    const response = await httpSend(`${base}/responses`, {
      method: 'POST',
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    });
    expect([response.status, response.ok, response.headers.get('Retry-After')]).toEqual([429, false, '0']);
    expect(await response.text()).toBe('{"error":{"message":"slow down"}}');
  });
});

describe('conduit exec', () => {
  it('never loads undici (fetch) for a turn', async () => {
    const fake = await startFakeModelServer({ wires: ['responses'] });
    const root = mkdtempSync(join(tmpdir(), 'conduit-http-'));
    try {
      fake.enqueue({ steps: [{ type: 'text', text: 'hi' }] });
      mkdirSync(join(root, 'repo', '.git'), { recursive: true });
      mkdirSync(join(root, 'home'));
      const report = join(root, 'modules.txt');
      // Runs in the exec process: records Node's list of loaded internal modules as it exits.
      const hook = join(root, 'hook.cjs');
      writeFileSync(
        hook,
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, process.moduleLoadList.join('\\n')));`,
      );
      // Async: the fake server answers from this process's event loop.
      const child = spawn(
        process.execPath,
        [
          '-r',
          hook,
          join(process.cwd(), 'bin/conduit.js'),
          'exec',
          '-c',
          `openai_base_url="${fake.url}"`,
          'hi',
        ],
        {
          cwd: join(root, 'repo'),
          env: { ...process.env, CONDUIT_HOME: join(root, 'home'), CODEX_API_KEY: 'sk-test' },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const [status] = await once(child, 'close');
      expect(status, stderr).toBe(0);
      const modules = readFileSync(report, 'utf8');
      expect(modules).toContain('NativeModule _http_client');
      expect(modules).not.toContain('undici');
    } finally {
      await fake.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
