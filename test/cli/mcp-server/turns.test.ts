// Tool calls running real sessions against the fake model: streaming, results, tools, replies (also after
// a restart), cancellation and many calls at once.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeModelServer,
  type FakeResponse,
  type RecordedRequest,
  startFakeModelServer,
} from '../../fake-model/server.js';
import { itSandboxed } from '../../helpers/sandbox.js';
import {
  type Connected,
  connect,
  type Home,
  lastUserText,
  makeHome,
  textOf,
  toolOutputsThisTurn,
  userTexts,
} from './helpers.js';

let fake: FakeModelServer;
const open: Connected[] = [];

beforeAll(async () => {
  fake = await startFakeModelServer({ wires: ['responses'] });
});

afterEach(async () => {
  fake.setHandler(undefined);
  await Promise.all(open.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await fake?.close();
});

async function start(home: Home, options: Parameters<typeof connect>[1] = {}): Promise<Connected> {
  const conn = await connect(home, options);
  open.push(conn);
  return conn;
}

const usage = { type: 'usage', input: 10, output: 2 } as const;
const say = (text: string): FakeResponse => ({ steps: [{ type: 'text', text }, usage] });

const PATCH = '*** Begin Patch\n*** Add File: notes.txt\n+written by the patch\n*** End Patch\n';

describe('codex tool calls', () => {
  itSandboxed(
    'runs a turn that applies a patch and runs a shell command, streaming events and progress',
    async () => {
      const home = makeHome(fake.url);
      const outside = `/var/tmp/conduit-mcp-outside-${process.pid}-${Date.now()}`;
      const conn = await start(home);
      fake.setHandler((request) => {
        const outputs = toolOutputsThisTurn(request);
        if (outputs.length === 0) {
          return { steps: [{ type: 'tool_call', name: 'apply_patch', arguments: { input: PATCH } }, usage] };
        }
        if (outputs.length === 1) {
          return {
            steps: [
              {
                type: 'tool_call',
                name: 'shell',
                // The last write is outside the writable roots: the sandbox must stop it.
                arguments: {
                  command: ['bash', '-lc', `cat notes.txt; echo ran > ran.txt; touch ${outside}`],
                },
              },
              usage,
            ],
          };
        }
        return say(`all done: ${outputs[1].includes('written by the patch') ? 'saw the file' : 'no file'}`);
      });
      const progress: string[] = [];
      const result = await conn.client.callTool(
        {
          name: 'codex',
          arguments: { prompt: 'write notes', sandbox: 'workspace-write', 'approval-policy': 'on-request' },
        },
        undefined,
        { onprogress: (p) => progress.push(p.message ?? '') },
      );
      expect(textOf(result)).toBe('all done: saw the file');
      expect(result.isError).toBeFalsy();
      const { threadId, content } = result.structuredContent as { threadId: string; content: string };
      expect(content).toBe('all done: saw the file');
      expect(readFileSync(join(home.cwd, 'notes.txt'), 'utf8')).toBe('written by the patch\n');
      expect(readFileSync(join(home.cwd, 'ran.txt'), 'utf8')).toBe('ran\n');
      expect(existsSync(outside)).toBe(false);

      const types = conn.events.map((e) => e.msg.type);
      expect(types[0]).toBe('session_configured');
      expect(conn.events[0].msg.session_id).toBe(threadId);
      for (const type of [
        'task_started',
        'patch_apply_begin',
        'patch_apply_end',
        'exec_command_begin',
        'exec_command_end',
        'agent_message',
        'task_complete',
      ]) {
        expect(types).toContain(type);
      }
      expect(new Set(conn.events.map((e) => e._meta.threadId))).toEqual(new Set([threadId]));
      expect(new Set(conn.events.map((e) => typeof e._meta.requestId))).toEqual(new Set(['number']));
      // MCP guarantees every progress notification precedes the result on the wire; the SDK's client may
      // drop those it reads in the same chunk as the result (typescript-sdk #2580), so `onprogress` saw a
      // prefix of them.
      const resultAt = conn.wire.findIndex(
        (m) => 'result' in m && (m.result.structuredContent as { threadId?: string })?.threadId === threadId,
      );
      const sent = conn.wire.flatMap((m, i) =>
        'method' in m && m.method === 'notifications/progress' ? [{ i, message: m.params?.message }] : [],
      );
      expect(resultAt).toBeGreaterThan(0);
      expect(sent.every(({ i }) => i < resultAt)).toBe(true);
      const messages = sent.map((p) => p.message);
      expect(messages[0]).toBe('working');
      expect(messages).toContain('patch applied');
      expect(messages.at(-1)).toBe('done');
      expect(progress[0]).toBe('working');
      expect(messages.slice(0, progress.length)).toEqual(progress);
    },
  );

  it('continues a thread with codex-reply (threadId or conversationId), also after a server restart', async () => {
    const home = makeHome(fake.url);
    fake.setHandler((request) =>
      say(`echo ${lastUserText(request)} (${userTexts(request).length} user messages)`),
    );
    const first = await start(home);
    const started = await first.client.callTool({ name: 'codex', arguments: { prompt: 'one' } });
    const { threadId } = started.structuredContent as { threadId: string };
    const countOf = (text: string) => Number(/\((\d+) user messages\)/.exec(text)?.[1]);
    const baseline = countOf(textOf(started));

    const second = await first.client.callTool({
      name: 'codex-reply',
      arguments: { threadId, prompt: 'two' },
    });
    expect(textOf(second)).toBe(`echo two (${baseline + 1} user messages)`);
    expect((second.structuredContent as { threadId: string }).threadId).toBe(threadId);
    await first.close();

    const restarted = await start(home);
    const third = await restarted.client.callTool({
      name: 'codex-reply',
      arguments: { conversationId: threadId, prompt: 'three' },
    });
    expect(third.isError).toBeFalsy();
    expect(textOf(third)).toBe(`echo three (${baseline + 2} user messages)`);
    const request = fake.requests.at(-1)!;
    expect(userTexts(request).slice(-3)).toEqual(['one', 'two', 'three']);
  });

  it('serves two replies to one thread one after the other', async () => {
    const home = makeHome(fake.url);
    const conn = await start(home);
    const prompts = (request: RecordedRequest) => userTexts(request).filter((text) => /^[a-c]$/.test(text));
    fake.setHandler((request) => say(`after ${prompts(request).join(',')}`));
    const first = await conn.client.callTool({ name: 'codex', arguments: { prompt: 'a' } });
    const { threadId } = first.structuredContent as { threadId: string };
    const [b, c] = await Promise.all(
      ['b', 'c'].map((prompt) =>
        conn.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt } }),
      ),
    );
    // Whichever ran second saw the other's turn in its history: they did not interleave.
    expect([
      ['after a,b', 'after a,b,c'],
      ['after a,c,b', 'after a,c'],
    ]).toContainEqual([textOf(b), textOf(c)]);
  });

  it('interrupts the turn on notifications/cancelled and still answers the call', async () => {
    const home = makeHome(fake.url);
    const conn = await start(home);
    let calls = 0;
    fake.setHandler(() => {
      calls++;
      if (calls === 1)
        return { steps: [{ type: 'text', text: 'thinking…' }, { type: 'stall', ms: 60_000 }, usage] };
      return say('fresh answer');
    });
    const pending = conn.client.callTool({ name: 'codex', arguments: { prompt: 'take your time' } });
    const started = await waitFor(() => conn.events.find((e) => e.msg.type === 'agent_message_delta'));
    await conn.client.notification({
      method: 'notifications/cancelled',
      params: { requestId: started._meta.requestId, reason: 'user pressed stop' },
    });
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('the turn was interrupted (the client cancelled the call)');
    expect(conn.events.map((e) => e.msg.type)).toContain('turn_aborted');

    const threadId = (result.structuredContent as { threadId: string }).threadId;
    const after = await conn.client.callTool({
      name: 'codex-reply',
      arguments: { threadId, prompt: 'again' },
    });
    expect(textOf(after)).toBe('fresh answer');
  });

  it("starts the MCP servers a session's config enables, and reports those that fail", async () => {
    const memory = join(
      import.meta.dirname,
      '..',
      '..',
      '..',
      'node_modules',
      '@modelcontextprotocol',
      'server-memory',
      'dist',
      'index.js',
    );
    const home = makeHome(
      fake.url,
      `\n[mcp_servers.memory]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(memory)}]\n\n[mcp_servers.broken]\ncommand = "/nonexistent/mcp-server"\n`,
    );
    const conn = await start(home);
    fake.setHandler((request) => {
      const tools = ((request.body as { tools?: { name?: string }[] }).tools ?? []).map((t) => t.name ?? '');
      return say(`memory tools: ${tools.filter((name) => name.includes('read_graph')).length}`);
    });
    const result = await conn.client.callTool({ name: 'codex', arguments: { prompt: 'what tools?' } });
    expect(textOf(result)).toBe('memory tools: 1');
    const warnings = conn.events.filter((e) => e.msg.type === 'warning').map((e) => String(e.msg.message));
    expect(warnings).toEqual([expect.stringMatching(/^MCP server broken failed to start: /)]);
  });

  it('runs 20 calls at once, each its own session', async () => {
    const home = makeHome(fake.url);
    const conn = await start(home);
    fake.setHandler((request) => say(`answer to ${lastUserText(request)}`));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        conn.client.callTool({ name: 'codex', arguments: { prompt: `q${i}` } }),
      ),
    );
    results.forEach((result, i) => {
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toBe(`answer to q${i}`);
    });
    const threads = new Set(results.map((r) => (r.structuredContent as { threadId: string }).threadId));
    expect(threads.size).toBe(20);
    for (const threadId of threads) {
      const forThread = conn.events.filter(
        (e) => e._meta.threadId === threadId && e.msg.type === 'task_complete',
      );
      expect(forThread).toHaveLength(1);
    }
    expect(existsSync(join(home.home, 'sessions'))).toBe(true);
  });
});

async function waitFor<T>(probe: () => T | undefined): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
