// `conduit acp` driven as a child process by the SDK's client against the fake model: a turn that runs a
// command (allowed for the session), a second command not asked, a patch written through the client's
// fs/write_text_file with its diff in the tool call, and an answer; then cancel mid-command.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionNotification } from '@agentclientprotocol/sdk';
import { methods } from '@agentclientprotocol/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import {
  type Agent,
  allowForSession,
  chunkText,
  initialize,
  makeHome,
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

type Update = SessionNotification['update'];

function toolUpdates(updates: Update[], id: string): Update[] {
  return updates.filter(
    (u) => (u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update') && u.toolCallId === id,
  );
}

describe('conduit acp: a prompt turn', () => {
  it('runs commands (allowed for the session), applies a patch through fs/write_text_file and answers', async () => {
    const home = makeHome(fake.url, 'approval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n');
    writeFileSync(join(home.cwd, 'hello.txt'), 'hello\n');
    const patch = '*** Begin Patch\n*** Update File: hello.txt\n@@\n-hello\n+hello world\n*** End Patch\n';
    fake.setHandler((request) => {
      const outputs = toolOutputsThisTurn(request.body);
      const call = (callId: string, name: string, args: Record<string, unknown>) => ({
        steps: [{ type: 'tool_call' as const, name, arguments: args, callId }, usage],
      });
      if (outputs.length === 0) return call('c1', 'shell', { command: ['git', 'init', '-q', 'repo1'] });
      if (outputs.length === 1) return call('c2', 'shell', { command: ['git', 'init', '-q', 'repo2'] });
      if (outputs.length === 2) return call('c3', 'apply_patch', { input: patch });
      return { steps: [{ type: 'text', text: 'All done.' }, usage] };
    });
    const agent = startAgent(home, {
      permission: async (request) =>
        // Commands for the session; the edit once.
        request.toolCall.toolCallId === 'c3'
          ? { outcome: { outcome: 'selected', optionId: 'allow-once' } }
          : allowForSession(request),
    });
    open.push(agent);
    const init = await initialize(agent, { fs: { readTextFile: true, writeTextFile: true } });
    expect(init.protocolVersion).toBe(1);
    expect(init.agentCapabilities?.loadSession).toBe(true);

    const created = await agent.agent.request(methods.agent.session.new, { cwd: home.cwd, mcpServers: [] });
    expect(created.modes?.availableModes.map((m) => m.id)).toEqual([
      'read-only',
      'auto',
      'full-access',
      'configured',
    ]);
    expect(created.configOptions?.map((o) => o.category)).toEqual(['mode', 'model', 'thought_level']);

    const response = await agent.agent.request(methods.agent.session.prompt, {
      sessionId: created.sessionId,
      prompt: [{ type: 'text', text: 'set up two repos and fix the greeting' }],
    });
    expect(response.stopReason).toBe('end_turn');
    expect(response._meta?.usage).toMatchObject({ input_tokens: 40, output_tokens: 8 });

    // One permission request per kind of action: the second git command was covered by the first answer.
    expect(agent.permissions.map((p) => p.toolCall.toolCallId)).toEqual(['c1', 'c3']);
    expect(agent.permissions[0].options.map((o) => o.kind)).toEqual([
      'allow_once',
      'allow_always',
      'reject_once',
    ]);
    expect(existsSync(join(home.cwd, 'repo1', '.git'))).toBe(true);
    expect(existsSync(join(home.cwd, 'repo2', '.git'))).toBe(true);

    const updates = agent.updatesOf(created.sessionId);
    const c1 = toolUpdates(updates, 'c1');
    expect(c1[0]).toMatchObject({
      sessionUpdate: 'tool_call',
      title: 'git init -q repo1',
      kind: 'execute',
      status: 'pending',
    });
    expect(c1.at(-1)).toMatchObject({ sessionUpdate: 'tool_call_update', status: 'completed' });
    const c2 = toolUpdates(updates, 'c2');
    expect(c2[0]).toMatchObject({ sessionUpdate: 'tool_call', status: 'in_progress' });
    expect(c2.at(-1)).toMatchObject({ status: 'completed' });

    const path = join(home.cwd, 'hello.txt');
    const c3 = toolUpdates(updates, 'c3');
    expect(c3[0]).toMatchObject({
      sessionUpdate: 'tool_call',
      kind: 'edit',
      title: 'Edit hello.txt',
      locations: [{ path }],
    });
    expect(c3[0]).toMatchObject({
      content: [{ type: 'diff', path, oldText: 'hello\n', newText: 'hello world\n' }],
    });
    expect(c3.at(-1)).toMatchObject({
      sessionUpdate: 'tool_call_update',
      status: 'completed',
      content: [{ type: 'diff', path, oldText: 'hello\n', newText: 'hello world\n' }],
    });
    expect(agent.writes).toEqual([{ path, content: 'hello world\n' }]);
    expect(agent.reads).toContain(path);
    expect(readFileSync(path, 'utf8')).toBe('hello world\n');

    expect(chunkText(updates, 'agent_message_chunk')).toBe('All done.');
    // Never an update before its tool call.
    for (const id of ['c1', 'c2', 'c3']) expect(toolUpdates(updates, id)[0].sessionUpdate).toBe('tool_call');
    expect(updates.some((u) => u.sessionUpdate === 'available_commands_update')).toBe(true);

    // /diff shows what the turn changed.
    await agent.agent.request(methods.agent.session.prompt, {
      sessionId: created.sessionId,
      prompt: [{ type: 'text', text: '/diff' }],
    });
    expect(chunkText(agent.updatesOf(created.sessionId), 'agent_message_chunk')).toContain(
      '-hello\n+hello world',
    );
  });

  it('stops a running command on session/cancel and answers the prompt with cancelled', async () => {
    const home = makeHome(fake.url, 'approval_policy = "never"\nsandbox_mode = "danger-full-access"\n');
    const marker = join(home.cwd, 'finished.txt');
    fake.setHandler((request) => {
      if (toolOutputsThisTurn(request.body).length > 0)
        return { steps: [{ type: 'text', text: 'late' }, usage] };
      return {
        steps: [
          {
            type: 'tool_call',
            name: 'shell',
            callId: 'slow',
            arguments: { command: ['bash', '-lc', `sleep 30 && touch ${marker}`], timeout_ms: 120_000 },
          },
          usage,
        ],
      };
    });
    const agent = startAgent(home);
    open.push(agent);
    await initialize(agent);
    const { sessionId } = await agent.agent.request(methods.agent.session.new, {
      cwd: home.cwd,
      mcpServers: [],
    });
    const prompt = agent.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'wait a while' }],
    });
    await waitFor(() => toolUpdates(agent.updatesOf(sessionId), 'slow').length > 0);
    await agent.agent.notify(methods.agent.session.cancel, { sessionId });
    expect((await prompt).stopReason).toBe('cancelled');
    expect(existsSync(marker)).toBe(false);

    // The session (and the process) carry on.
    fake.setHandler(() => ({ steps: [{ type: 'text', text: 'still here' }, usage] }));
    const again = await agent.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'hello?' }],
    });
    expect(again.stopReason).toBe('end_turn');
    expect(chunkText(agent.updatesOf(sessionId), 'agent_message_chunk')).toContain('still here');
  });
});

describe('conduit acp: client terminals', () => {
  it("runs unsandboxed commands in the editor's terminal and sandboxed ones in Conduit's sandbox", async () => {
    const home = makeHome(fake.url, 'approval_policy = "never"\nsandbox_mode = "danger-full-access"\n');
    fake.setHandler((request) => {
      const outputs = toolOutputsThisTurn(request.body);
      if (outputs.length > 0) return { steps: [{ type: 'text', text: `tool said: ${outputs[0]}` }, usage] };
      return {
        steps: [
          {
            type: 'tool_call',
            name: 'shell',
            callId: 't1',
            arguments: { command: ['bash', '-lc', 'echo in-terminal'] },
          },
          usage,
        ],
      };
    });
    const agent = startAgent(home);
    open.push(agent);
    await initialize(agent, { terminal: true });
    const { sessionId } = await agent.agent.request(methods.agent.session.new, {
      cwd: home.cwd,
      mcpServers: [],
    });
    await agent.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'go' }],
    });
    expect(agent.terminals).toEqual([{ command: 'bash', args: ['-lc', 'echo in-terminal'], released: true }]);
    const updates = toolUpdates(agent.updatesOf(sessionId), 't1');
    expect(updates[0].sessionUpdate).toBe('tool_call');
    expect(updates.at(-1)).toMatchObject({
      status: 'completed',
      content: [{ type: 'terminal', terminalId: 'term-1' }],
    });
    expect(chunkText(agent.updatesOf(sessionId), 'agent_message_chunk')).toContain('in-terminal');

    // Under a sandboxing mode the command stays in Conduit's sandbox.
    await agent.agent.request(methods.agent.session.setMode, { sessionId, modeId: 'auto' });
    await agent.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'again' }],
    });
    expect(agent.terminals).toHaveLength(1);
  });
});
