// The server as a protocol citizen: schemas, and an answer for every request a client may send.

import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { type Connected, connect, makeHome } from './helpers.js';

let fake: FakeModelServer;
let conn: Connected;

beforeAll(async () => {
  fake = await startFakeModelServer({ wires: ['responses'] });
  conn = await connect(makeHome(fake.url));
});

afterAll(async () => {
  await conn?.close();
  await fake?.close();
});

describe('conduit mcp-server protocol', () => {
  it('introduces itself and lists codex and codex-reply with their schemas', async () => {
    expect(conn.client.getServerVersion()?.name).toBe('conduit-mcp-server');
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['codex', 'codex-reply']);
    const [codex, reply] = tools;
    expect(codex.inputSchema.required).toEqual(['prompt']);
    expect(Object.keys(codex.inputSchema.properties ?? {})).toEqual([
      'prompt',
      'model',
      'profile',
      'cwd',
      'approval-policy',
      'sandbox',
      'config',
      'base-instructions',
      'developer-instructions',
      'compact-prompt',
    ]);
    const props = codex.inputSchema.properties as Record<string, { enum?: string[]; type?: string }>;
    expect(props['approval-policy'].enum).toEqual(['untrusted', 'on-failure', 'on-request', 'never']);
    expect(props.sandbox.enum).toEqual(['read-only', 'workspace-write', 'danger-full-access']);
    expect(props.config.type).toBe('object');
    expect(reply.inputSchema.required).toEqual(['prompt']);
    expect(Object.keys(reply.inputSchema.properties ?? {})).toEqual(['threadId', 'conversationId', 'prompt']);
    expect(codex.outputSchema?.required).toEqual(['threadId', 'content']);
  });

  it('answers ping, the empty listings and logging/setLevel', async () => {
    await expect(conn.client.ping()).resolves.toEqual({});
    await expect(conn.client.listResources()).resolves.toMatchObject({ resources: [] });
    await expect(conn.client.listResourceTemplates()).resolves.toMatchObject({ resourceTemplates: [] });
    await expect(conn.client.listPrompts()).resolves.toMatchObject({ prompts: [] });
    await expect(conn.client.setLoggingLevel('warning')).resolves.toEqual({});
  });

  it('answers an unknown method with JSON-RPC -32601 and an unknown tool with -32602', async () => {
    const unknown = await conn.client
      .request({ method: 'no/such-method', params: {} }, z.object({}))
      .catch((e) => e);
    expect(unknown).toBeInstanceOf(McpError);
    expect(unknown.code).toBe(ErrorCode.MethodNotFound);
    const tool = await conn.client.callTool({ name: 'nope', arguments: {} }).catch((e) => e);
    expect(tool).toBeInstanceOf(McpError);
    expect(tool.code).toBe(ErrorCode.InvalidParams);
    expect(tool.message).toContain('unknown tool "nope"');
  });

  it('refuses bad arguments with isError naming the argument', async () => {
    const noPrompt = await conn.client.callTool({ name: 'codex', arguments: { sandbox: 'wide-open' } });
    expect(noPrompt.isError).toBe(true);
    const text = (noPrompt.content as { text: string }[])[0].text;
    expect(text).toContain('prompt:');
    expect(text).toContain('sandbox:');
    const typo = await conn.client.callTool({
      name: 'codex',
      arguments: { prompt: 'x', 'aproval-policy': 'never' },
    });
    expect((typo.content as { text: string }[])[0].text).toContain('aproval-policy');
    const noId = await conn.client.callTool({ name: 'codex-reply', arguments: { prompt: 'x' } });
    expect((noId.content as { text: string }[])[0].text).toContain('threadId is required');
  });

  it('reports a config the call breaks as a failure to start, and an unknown thread as such', async () => {
    const badModelProvider = await conn.client.callTool({
      name: 'codex',
      arguments: { prompt: 'hi', config: { model_provider: 'nowhere' } },
    });
    expect(badModelProvider.isError).toBe(true);
    expect((badModelProvider.content as { text: string }[])[0].text).toMatch(
      /^Failed to start Conduit session: .*model provider "nowhere" not found/,
    );
    const unknown = await conn.client.callTool({
      name: 'codex-reply',
      arguments: { threadId: '00000000-0000-0000-0000-000000000000', prompt: 'hi' },
    });
    expect(unknown.isError).toBe(true);
    expect((unknown.content as { text: string }[])[0].text).toContain('unknown threadId');
  });
});
