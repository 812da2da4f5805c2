// `conduit mcp-server` answers every JSON-RPC request, whatever arrives: malformed JSON, schema-invalid
// requests, a batch, a line over the size limit, bad tool arguments, an unreadable elicitation reply.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { makeHome, toolOutputsThisTurn } from './helpers.js';
import { answersFor, type RawClient, rawClient } from './raw-client.js';

let fake: FakeModelServer;
const clients: RawClient[] = [];

beforeAll(async () => {
  fake = await startFakeModelServer({ wires: ['responses'] });
});
afterEach(async () => {
  fake.setHandler(undefined);
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await fake?.close();
});

function start(args: string[] = []): RawClient {
  const client = rawClient(makeHome(fake.url), args);
  clients.push(client);
  return client;
}

type ErrorAnswer = { id: unknown; error: { code: number; message: string } };

describe('conduit mcp-server over stdio, as a JSON-RPC 2.0 peer', () => {
  it('answers each request exactly once, bad ones with the right error, and keeps serving', async () => {
    const client = start();
    await client.initialize();
    client.writeLine('{"jsonrpc":"2.0","id":1,"method":"ping"'); // cut short
    client.send({ jsonrpc: '2.0', id: 2, method: 'ping', params: 'x' });
    client.send({ jsonrpc: '1.0', id: 3, method: 'ping' });
    client.send({ jsonrpc: '2.0', id: 4, method: 42 });
    client.send([
      { jsonrpc: '2.0', id: 5, method: 'ping' },
      { jsonrpc: '2.0', id: 6, method: 'tools/list' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ]);
    client.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'codex', arguments: [] } });
    client.send({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'codex', arguments: null } });
    client.send({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'nope', arguments: {} } });
    client.send({ jsonrpc: '2.0', id: 10, method: 'logging/setLevel', params: { level: 'loud' } });
    // 10 MiB on one line, then a ping that must still be answered.
    client.writeLine(
      `{"jsonrpc":"2.0","id":11,"method":"ping","params":{"pad":"${'a'.repeat(10 * 1024 * 1024)}"}}`,
    );
    client.send({ jsonrpc: '2.0', id: 12, method: 'ping' });
    await client.waitFor((m) => m.id === 12);
    await client.waitFor((m) => m.id === 10);
    await client.waitFor((m) => m.id === 9);

    const parseErrors = client.received.filter((m) => (m as ErrorAnswer).error?.code === -32700);
    expect(parseErrors).toEqual([
      { jsonrpc: '2.0', id: null, error: expect.objectContaining({ code: -32700 }) },
    ]);
    const only = (id: number) => {
      const answers = answersFor(client.received, id);
      expect(answers, `answers to request ${id}`).toHaveLength(1);
      return answers[0] as ErrorAnswer;
    };
    expect(only(2).error).toMatchObject({
      code: -32602,
      message: expect.stringContaining('"params" of ping must be an object'),
    });
    expect(only(3).error).toMatchObject({
      code: -32600,
      message: expect.stringContaining('"jsonrpc" must be "2.0"'),
    });
    expect(only(4).error.code).toBe(-32600);
    for (const id of [5, 6])
      expect(only(id).error).toMatchObject({
        code: -32600,
        message: expect.stringContaining('batches are not supported'),
      });
    for (const id of [7, 8]) {
      const { error } = only(id);
      expect(error.code).toBe(-32602);
      expect(error.message).toMatch(
        /^Invalid params: tools\/call codex: "arguments" must be an object, not (an array|null)$/,
      );
    }
    expect(only(9).error).toEqual({
      code: -32602,
      message: 'unknown tool "nope" (tools: codex, codex-reply)',
    });
    expect(only(10).error.code).toBe(-32602);
    expect(only(10).error.message).not.toContain('"code"'); // no zod dump
    expect(only(11).error).toMatchObject({ code: -32600, message: expect.stringContaining('larger than') });
    expect(only(12)).toMatchObject({ result: {} });
    // Every error message carries no "MCP error" prefix (the client adds its own).
    for (const message of client.received.flatMap((m) => (Array.isArray(m) ? m : [m])) as ErrorAnswer[]) {
      if (message.error) expect(message.error.message).not.toMatch(/MCP error/);
    }
  });

  it('treats an elicitation reply that is not a valid result as a denial at once', async () => {
    fake.setHandler((request) => {
      if (toolOutputsThisTurn(request).length === 0)
        return {
          steps: [{ type: 'tool_call', name: 'shell', arguments: { command: ['touch', 'made.txt'] } }],
        };
      return { steps: [{ type: 'text', text: 'finished' }] };
    });
    // An approval timeout far beyond the test's own: answering only after it would fail the test.
    const client = start(['--approval-timeout', '3600']);
    await client.initialize({ elicitation: {} });
    client.send({
      jsonrpc: '2.0',
      id: 'call',
      method: 'tools/call',
      params: {
        name: 'codex',
        arguments: { prompt: 'go', 'approval-policy': 'untrusted', sandbox: 'workspace-write' },
      },
    });
    const elicitation = await client.waitFor<{ id: number }>((m) => m.method === 'elicitation/create');
    client.send({ jsonrpc: '2.0', id: elicitation.id, result: 'approved' }); // not an object: invalid
    const result = await client.waitFor<{ result: { content: { text: string }[] } }>((m) => m.id === 'call');
    expect(result.result.content[0].text).toBe('finished');
    const warnings = client.received.filter(
      (m) =>
        (m as { params?: { msg?: { type?: string; message?: string } } }).params?.msg?.type === 'warning',
    ) as { params: { msg: { message: string } } }[];
    expect(warnings.map((w) => w.params.msg.message)).toEqual([
      expect.stringMatching(/treated as "denied": the client answered with an error: .*invalid response/),
    ]);
  }, 60_000);
});
