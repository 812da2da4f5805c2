// The public API end to end: `createSession` starts the config's MCP servers (a broken one becomes a
// warning naming it), the model can call their tools, `runSubmission` ends with the turn's outcome, and
// shutting down stops the server processes.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSession, type Event, runSubmission } from '../../src/index.js';
import { type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { fakeConfig } from './helpers.js';

const PRINT_ENV = new URL('../fixtures/mcp/print-env.mjs', import.meta.url).pathname;

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setHandler(undefined);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('createSession + runSubmission', () => {
  it('owns its MCP servers: starts them, reports a broken one, offers their tools, stops them', async () => {
    const config = await fakeConfig(fake.url, {
      extra: [
        '[mcp_servers.probe]',
        `command = ${JSON.stringify(process.execPath)}`,
        `args = [${JSON.stringify(PRINT_ENV)}]`,
        '[mcp_servers.broken]',
        'command = "/nonexistent/conduit-test-server"',
      ].join('\n'),
    });
    fake.enqueue(
      { steps: [{ type: 'tool_call', name: 'probe__env', callId: 'm1', arguments: {} }] },
      { steps: [{ type: 'text', text: 'the server answered' }] },
    );
    const session = await createSession(config, { source: 'test', interactiveApprovals: false });

    const turn = runSubmission(session, { type: 'user_turn', items: [{ type: 'text', text: 'probe' }] });
    const events: Event[] = [];
    for await (const event of turn) events.push(event);
    expect(turn.outcome).toEqual({ status: 'completed', lastAgentMessage: 'the server answered' });

    expect(events[0].msg.type).toBe('session_configured');
    const warnings = events.flatMap((e) => (e.msg.type === 'warning' ? [e.msg.message] : []));
    expect(warnings).toEqual([expect.stringMatching(/^MCP server broken failed to start: .*broken/)]);
    const tools = (fake.requests[0].body as { tools: { name?: string }[] }).tools.map((t) => t.name);
    expect(tools).toContain('probe__env');

    const end = events.find((e) => e.msg.type === 'mcp_tool_call_end');
    if (end?.msg.type !== 'mcp_tool_call_end' || !('ok' in end.msg.result)) throw new Error('no tool result');
    const { pid } = JSON.parse((end.msg.result.ok.content[0] as { text: string }).text) as { pid: number };
    expect(alive(pid)).toBe(true);

    const shutdown = runSubmission(session, { type: 'shutdown' });
    const last: string[] = [];
    for await (const event of shutdown) last.push(event.msg.type);
    expect(last).toEqual(['shutdown_complete']);
    expect(shutdown.outcome).toEqual({ status: 'completed' });
    expect(alive(pid)).toBe(false);
  });

  it('reports a failed turn and an interrupted one', async () => {
    const config = await fakeConfig(fake.url);
    const session = await createSession(config);
    fake.enqueue({ status: 400, body: 'bad request: boom' });
    const failed = runSubmission(session, { type: 'user_turn', items: [{ type: 'text', text: 'fail' }] });
    for await (const _ of failed) {
      // read to the end
    }
    expect(failed.outcome?.status).toBe('failed');

    fake.enqueue({ steps: [{ type: 'stall', ms: 60_000 }] });
    const stalled = runSubmission(session, { type: 'user_turn', items: [{ type: 'text', text: 'wait' }] });
    for await (const event of stalled) {
      if (event.msg.type === 'task_started') session.submit({ type: 'interrupt' });
    }
    expect(stalled.outcome).toEqual({ status: 'aborted', reason: 'interrupted' });
    for await (const _ of runSubmission(session, { type: 'shutdown' })) {
      // drained
    }
  });
});
