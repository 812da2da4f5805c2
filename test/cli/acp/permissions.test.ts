// Permission requests always end: a reject lets the turn go on, a client error counts as denied, a cancel
// while the question is open withdraws it and answers the prompt `cancelled`, and an editor that goes
// away mid-question does not leave the agent hanging.

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { methods, RequestError } from '@agentclientprotocol/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import {
  type Agent,
  initialize,
  makeHome,
  type PermissionAnswer,
  startAgent,
  toolOutputsThisTurn,
  waitFor,
} from './helpers.js';

let fake: FakeModelServer;
const open: Agent[] = [];

beforeAll(async () => {
  fake = await startFakeModelServer({ wires: ['responses'] });
});

afterEach(async () => {
  fake.setHandler(undefined);
  await Promise.all(open.splice(0).map((a) => a.close()));
});

afterAll(async () => {
  await fake?.close();
});

const usage = { type: 'usage', input: 10, output: 2 } as const;

/** A session whose model runs `touch made.txt` (asked under untrusted), then reports what the tool said. */
async function askingSession(permission: PermissionAnswer) {
  const home = makeHome(fake.url, 'approval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n');
  fake.setHandler((request) => {
    const outputs = toolOutputsThisTurn(request.body);
    if (outputs.length > 0) return { steps: [{ type: 'text', text: `tool said: ${outputs[0]}` }, usage] };
    return {
      steps: [
        { type: 'tool_call', name: 'shell', callId: 'ask', arguments: { command: ['touch', 'made.txt'] } },
        usage,
      ],
    };
  });
  const agent = startAgent(home, { permission });
  open.push(agent);
  await initialize(agent);
  const { sessionId } = await agent.agent.request(methods.agent.session.new, {
    cwd: home.cwd,
    mcpServers: [],
  });
  const prompt = agent.agent.request(methods.agent.session.prompt, {
    sessionId,
    prompt: [{ type: 'text', text: 'make a file' }],
  });
  return { home, agent, sessionId, prompt, made: join(home.cwd, 'made.txt') };
}

function answerText(agent: Agent, sessionId: string): string {
  return agent
    .updatesOf(sessionId)
    .map((u) =>
      u.sessionUpdate === 'agent_message_chunk' && u.content.type === 'text' ? u.content.text : '',
    )
    .join('');
}

describe('conduit acp: permission requests', () => {
  it('sends the pending tool call first, and a reject lets the turn continue', async () => {
    const run = await askingSession(async () => ({ outcome: { outcome: 'selected', optionId: 'reject' } }));
    expect((await run.prompt).stopReason).toBe('end_turn');
    expect(existsSync(run.made)).toBe(false);
    expect(answerText(run.agent, run.sessionId)).toContain('tool said: ');
    const [request] = run.agent.permissions;
    expect(request.toolCall).toMatchObject({ toolCallId: 'ask', title: 'touch made.txt', kind: 'execute' });
    const first = run.agent.updatesOf(run.sessionId).find((u) => u.sessionUpdate === 'tool_call');
    expect(first).toMatchObject({ toolCallId: 'ask', status: 'pending' });
  });

  it('treats a client that fails the request as denied, and says so', async () => {
    const run = await askingSession(async () => {
      throw RequestError.internalError(undefined, 'dialog crashed');
    });
    expect((await run.prompt).stopReason).toBe('end_turn');
    expect(existsSync(run.made)).toBe(false);
    expect(answerText(run.agent, run.sessionId)).toMatch(
      /the permission request failed .*dialog crashed.*treated as "denied"/,
    );
  });

  it('withdraws an open question on cancel and answers the prompt cancelled', async () => {
    let asked!: () => void;
    const question = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const run = await askingSession(() => {
      asked();
      return new Promise(() => {}); // the user never answers
    });
    await question;
    await run.agent.agent.notify(methods.agent.session.cancel, { sessionId: run.sessionId });
    expect((await run.prompt).stopReason).toBe('cancelled');
    expect(existsSync(run.made)).toBe(false);
  });

  it('exits cleanly when the editor goes away while a question is open', async () => {
    const run = await askingSession(() => new Promise(() => {}));
    await waitFor(() => run.agent.permissions.length > 0);
    const exited = once(run.agent.child, 'exit');
    run.agent.child.stdin.end();
    const [code] = await exited;
    expect(code).toBe(0);
    expect(existsSync(run.made)).toBe(false);
  });
});
