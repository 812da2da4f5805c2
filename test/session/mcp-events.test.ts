// What a session's MCP servers say and ask reaches the front end: log messages as `mcp_log` events,
// elicitation as `elicitation_request` events answered with the `elicitation_response` op (or declined,
// with a warning, for a front end that did not opt in), and a cwd change as roots/list_changed.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CreateSessionOptions,
  createSession,
  type Event,
  runSubmission,
  type Session,
} from '../../src/index.js';
import { type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { fakeConfig } from './helpers.js';

const FIXTURE = new URL('../fixtures/mcp/asks-and-logs.mjs', import.meta.url).pathname;

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setHandler(undefined);
});

async function sessionWithFixture(options: CreateSessionOptions = {}) {
  const config = await fakeConfig(fake.url, {
    extra: [
      '[mcp_servers.f]',
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(FIXTURE)}]`,
    ].join('\n'),
  });
  return { session: await createSession(config, options), config };
}

/** One turn in which the model calls `tool` of the fixture, then answers "done". */
function callThenAnswer(tool: string) {
  fake.enqueue(
    { steps: [{ type: 'tool_call', name: `f__${tool}`, callId: `c-${tool}`, arguments: {} }] },
    { steps: [{ type: 'text', text: 'done' }] },
  );
}

function toolText(events: Event[]): string {
  const end = events.find((e) => e.msg.type === 'mcp_tool_call_end');
  if (end?.msg.type !== 'mcp_tool_call_end' || !('ok' in end.msg.result)) throw new Error('no tool result');
  return (end.msg.result.ok.content[0] as { text: string }).text;
}

async function shutdown(session: Session) {
  for await (const _ of runSubmission(session, { type: 'shutdown' })) {
    // drained
  }
}

describe("a session relays its MCP servers' requests and messages", () => {
  it('forwards log messages as mcp_log events', async () => {
    const { session } = await sessionWithFixture();
    callThenAnswer('log');
    const events: Event[] = [];
    const turn = runSubmission(session, { type: 'user_turn', items: [{ type: 'text', text: 'log' }] });
    for await (const event of turn) events.push(event);
    expect(turn.outcome?.status).toBe('completed');
    expect(events.map((e) => e.msg)).toContainEqual({
      type: 'mcp_log',
      server: 'f',
      level: 'warning',
      message: 'fixture: disk almost full',
    });
    await shutdown(session);
  });

  it('asks the front end and hands its answer to the server', async () => {
    const { session } = await sessionWithFixture({ elicitation: true });
    callThenAnswer('ask');
    const events: Event[] = [];
    const turn = runSubmission(session, { type: 'user_turn', items: [{ type: 'text', text: 'ask' }] });
    for await (const event of turn) {
      events.push(event);
      if (event.msg.type === 'elicitation_request') {
        expect(event.msg).toMatchObject({ server: 'f', message: 'What is your name?' });
        expect(event.msg.requested_schema).toMatchObject({ properties: { name: { type: 'string' } } });
        session.submit({
          type: 'elicitation_response',
          id: event.msg.id,
          action: 'accept',
          content: { name: 'Ada' },
        });
      }
    }
    expect(turn.outcome?.status).toBe('completed');
    expect(JSON.parse(toolText(events))).toEqual({ action: 'accept', content: { name: 'Ada' } });
    await shutdown(session);
  });

  it('declines, with a warning naming the server, when the front end does not answer elicitation', async () => {
    const { session } = await sessionWithFixture();
    callThenAnswer('ask');
    const events: Event[] = [];
    for await (const event of runSubmission(session, {
      type: 'user_turn',
      items: [{ type: 'text', text: 'ask' }],
    }))
      events.push(event);
    expect(events.some((e) => e.msg.type === 'elicitation_request')).toBe(false);
    expect(JSON.parse(toolText(events))).toEqual({ action: 'decline' });
    const warnings = events.flatMap((e) => (e.msg.type === 'warning' ? [e.msg.message] : []));
    expect(warnings).toEqual([
      expect.stringMatching(/^MCP server 'f' asked for input \("What is your name\?"\); declined/),
    ]);
    await shutdown(session);
  });

  it('tells the servers when a turn moves the cwd, and answers roots/list with the new one', async () => {
    const { session, config } = await sessionWithFixture();
    const moved = join(config.cwd, 'sub');
    mkdirSync(moved);
    callThenAnswer('roots');
    const events: Event[] = [];
    const turn = runSubmission(session, {
      type: 'user_turn',
      items: [{ type: 'text', text: 'roots' }],
      cwd: moved,
    });
    for await (const event of turn) events.push(event);
    const { roots, rootsChanged } = JSON.parse(toolText(events)) as { roots: string[]; rootsChanged: number };
    expect(roots).toEqual([pathToFileURL(moved).href]);
    expect(rootsChanged).toBe(1);
    await shutdown(session);
  });
});
