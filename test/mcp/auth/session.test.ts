// A session with a signed-in OAuth MCP server whose tool list changes mid-session: the front end gets an
// `mcp_tools_changed` event and the model is offered the new tool from its next request.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, type Event, runSubmission } from '../../../src/index.js';
import { login } from '../../../src/mcp/auth/login.js';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { fakeConfig } from '../../session/helpers.js';
import { fixture } from '../helpers.js';
import { type OAuthTestServer, startOAuthServer } from './server.js';

let fake: FakeModelServer;
let server: OAuthTestServer;
beforeAll(async () => {
  [fake, server] = await Promise.all([startFakeModelServer(), startOAuthServer()]);
});
afterAll(async () => {
  await Promise.all([fake.close(), server.close()]);
});

const toolsOf = (i: number) =>
  (fake.requests[i].body as { tools: { name?: string }[] }).tools.map((t) => t.name);

describe('a session and tools/list_changed', () => {
  it('emits mcp_tools_changed and offers the new tool from the next request', async () => {
    const config = await fakeConfig(fake.url, { extra: `[mcp_servers.remote]\nurl = "${server.url}"` });
    await login(config.mcpServers.remote, {
      conduitHome: config.conduitHome,
      cwd: config.cwd,
      env: { ...process.env, BROWSER: `${process.execPath} ${fixture('browser.mjs')}` },
      onAuthorizationUrl: () => undefined,
    });
    const session = await createSession(config, { source: 'test', interactiveApprovals: false });
    fake.enqueue(
      { steps: [{ type: 'tool_call', name: 'remote__add_tool', callId: 'a', arguments: { name: 'extra' } }] },
      { steps: [{ type: 'text', text: 'added' }] },
      { steps: [{ type: 'text', text: 'second turn' }] },
    );
    const first = runSubmission(session, { type: 'user_turn', items: [{ type: 'text', text: 'add one' }] });
    const events: Event[] = [];
    for await (const event of first) events.push(event);
    expect(first.outcome?.status).toBe('completed');
    expect(toolsOf(0)).not.toContain('remote__extra');

    const isChange = (e: Event) =>
      e.msg.type === 'mcp_tools_changed' && e.msg.tools.includes('remote__extra');
    while (!events.some(isChange)) {
      const next = await session.nextEvent();
      if (!next) throw new Error('the session ended without mcp_tools_changed');
      events.push(next);
    }
    expect(events.find(isChange)?.msg).toEqual({
      type: 'mcp_tools_changed',
      server: 'remote',
      tools: ['remote__add_tool', 'remote__admin_action', 'remote__extra', 'remote__whoami'],
    });

    const second = runSubmission(session, { type: 'user_turn', items: [{ type: 'text', text: 'again' }] });
    for await (const _ of second) {
      // read to the end
    }
    expect(toolsOf(fake.requests.length - 1)).toContain('remote__extra');
    for await (const _ of runSubmission(session, { type: 'shutdown' })) {
      // read to the end
    }
  });
});
