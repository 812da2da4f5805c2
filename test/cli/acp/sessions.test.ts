// Sessions of `conduit acp`: a saved session loaded by a new process with its history replayed, an MCP
// server passed by the client started and its tool called, several sessions in one process, modes, slash
// commands, auth_required naming the variable, and bad requests answered with JSON-RPC errors while the
// process stays up.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { methods } from '@agentclientprotocol/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import {
  type Agent,
  chunkText,
  initialize,
  makeHome,
  NODE_MODULES,
  startAgent,
  toolOutputsThisTurn,
  userTexts,
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
const EVERYTHING = join(NODE_MODULES, '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

function say(text: string) {
  return { steps: [{ type: 'text' as const, text }, usage] };
}

async function started(home: ReturnType<typeof makeHome>, env?: Record<string, string>): Promise<Agent> {
  const agent = startAgent(home, { env });
  open.push(agent);
  await initialize(agent);
  return agent;
}

/** The JSON-RPC error a request was answered with (fails the test if it succeeded). */
async function errorOf(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: number; message: string };
  }
  throw new Error('expected a JSON-RPC error');
}

describe('conduit acp: sessions', () => {
  it('loads a saved session in a new process, replaying its history before answering, or resumes it', async () => {
    const home = makeHome(fake.url);
    fake.setHandler(() => say('Noted: the code word is tangerine.'));
    const first = await started(home);
    const { sessionId } = await first.agent.request(methods.agent.session.new, {
      cwd: home.cwd,
      mcpServers: [],
    });
    await first.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'remember the code word tangerine' }],
    });
    await first.close();

    const second = await started(home);
    const listed = await second.agent.request(methods.agent.session.list, { cwd: home.cwd });
    expect(listed.sessions).toEqual([
      expect.objectContaining({ sessionId, cwd: home.cwd, title: 'remember the code word tangerine' }),
    ]);
    const loaded = await second.agent.request(methods.agent.session.load, {
      sessionId,
      cwd: home.cwd,
      mcpServers: [],
    });
    // The mode it last ran in is restored (opencode#9828).
    expect(loaded.modes?.currentModeId).toBe('read-only');
    const replayed = second.updatesOf(sessionId);
    expect(chunkText(replayed, 'user_message_chunk')).toBe('remember the code word tangerine');
    expect(chunkText(replayed, 'agent_message_chunk')).toBe('Noted: the code word is tangerine.');

    fake.setHandler((request) => say(`I still know: ${userTexts(request.body).join(' | ')}`));
    await second.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'what was it?' }],
    });
    expect(chunkText(second.updatesOf(sessionId), 'agent_message_chunk')).toContain(
      'remember the code word tangerine | what was it?',
    );

    // session/resume: the same session, without the replay.
    await second.close();
    const third = await started(home);
    await third.agent.request(methods.agent.session.resume, { sessionId, cwd: home.cwd });
    await third.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'and now?' }],
    });
    expect(chunkText(third.updatesOf(sessionId), 'user_message_chunk')).toBe('');
    expect(chunkText(third.updatesOf(sessionId), 'agent_message_chunk')).toContain(
      'remember the code word tangerine | what was it? | and now?',
    );

    const missing = await errorOf(
      third.agent.request(methods.agent.session.load, {
        sessionId: 'no-such-session',
        cwd: home.cwd,
        mcpServers: [],
      }),
    );
    expect(missing.code).toBe(-32002);
  });

  it('starts an MCP server the client passes and calls its tool', async () => {
    const home = makeHome(fake.url);
    const agent = await started(home);
    const { sessionId } = await agent.agent.request(methods.agent.session.new, {
      cwd: home.cwd,
      mcpServers: [{ name: 'everything', command: process.execPath, args: [EVERYTHING], env: [] }],
    });
    let offered: string[] = [];
    fake.setHandler((request) => {
      if (toolOutputsThisTurn(request.body).length > 0) return say('echoed');
      offered = ((request.body as { tools?: { name?: string }[] }).tools ?? []).map((t) => t.name ?? '');
      return {
        steps: [
          { type: 'reasoning', summary: 'The echo tool will do.' },
          {
            type: 'tool_call',
            name: 'everything__echo',
            arguments: { message: 'hi from acp' },
            callId: 'm1',
          },
          usage,
        ],
      };
    });
    const response = await agent.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'echo something' }],
    });
    expect(response.stopReason).toBe('end_turn');
    expect(offered).toContain('everything__echo');
    expect(chunkText(agent.updatesOf(sessionId), 'agent_thought_chunk')).toContain('The echo tool will do.');
    const calls = agent
      .updatesOf(sessionId)
      .filter(
        (u) =>
          (u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update') &&
          u.toolCallId === 'm1',
      );
    expect(calls[0]).toMatchObject({
      sessionUpdate: 'tool_call',
      title: 'Tool: everything/echo',
      status: 'in_progress',
    });
    expect(calls.at(-1)).toMatchObject({
      status: 'completed',
      content: [{ type: 'content', content: { type: 'text', text: 'Echo: hi from acp' } }],
    });
  });

  it('serves several sessions at once, with modes and slash commands', async () => {
    const home = makeHome(fake.url);
    const agent = await started(home);
    const a = await agent.agent.request(methods.agent.session.new, { cwd: home.cwd, mcpServers: [] });
    const b = await agent.agent.request(methods.agent.session.new, { cwd: home.cwd, mcpServers: [] });
    expect(a.sessionId).not.toBe(b.sessionId);
    fake.setHandler((request) => say(`answer to ${userTexts(request.body).at(-1)}`));
    const [ra, rb] = await Promise.all([
      agent.agent.request(methods.agent.session.prompt, {
        sessionId: a.sessionId,
        prompt: [{ type: 'text', text: 'A' }],
      }),
      agent.agent.request(methods.agent.session.prompt, {
        sessionId: b.sessionId,
        prompt: [{ type: 'text', text: 'B' }],
      }),
    ]);
    expect([ra.stopReason, rb.stopReason]).toEqual(['end_turn', 'end_turn']);
    expect(chunkText(agent.updatesOf(a.sessionId), 'agent_message_chunk')).toBe('answer to A');
    expect(chunkText(agent.updatesOf(b.sessionId), 'agent_message_chunk')).toBe('answer to B');

    await agent.agent.request(methods.agent.session.setMode, { sessionId: a.sessionId, modeId: 'read-only' });
    const status = await agent.agent.request(methods.agent.session.prompt, {
      sessionId: a.sessionId,
      prompt: [{ type: 'text', text: '/status' }],
    });
    expect(status.stopReason).toBe('end_turn');
    const shown = chunkText(agent.updatesOf(a.sessionId), 'agent_message_chunk');
    expect(shown).toContain('**Mode** read-only: approval policy on-request, sandbox read-only');
    expect(shown).toContain('**Model** fake-model');
    expect(agent.updatesOf(a.sessionId)).toContainEqual({
      sessionUpdate: 'current_mode_update',
      currentModeId: 'read-only',
    });

    const effort = await agent.agent.request(methods.agent.session.setConfigOption, {
      sessionId: b.sessionId,
      configId: 'thought_level',
      value: 'high',
    });
    expect(effort.configOptions.find((o) => o.id === 'thought_level')?.currentValue).toBe('high');
  });

  it('answers bad requests with JSON-RPC errors and stays up', async () => {
    const home = makeHome(fake.url);
    const agent = await started(home);
    const unknownSession = await errorOf(
      agent.agent.request(methods.agent.session.prompt, {
        sessionId: 'nope',
        prompt: [{ type: 'text', text: 'hi' }],
      }),
    );
    expect(unknownSession.code).toBe(-32002);
    const badParams = await errorOf(agent.agent.request(methods.agent.session.new, { cwd: 42 } as never));
    expect(badParams.code).toBe(-32602);
    const relative = await errorOf(
      agent.agent.request(methods.agent.session.new, { cwd: 'work', mcpServers: [] }),
    );
    expect(relative).toMatchObject({ code: -32602 });
    expect(relative.message).toContain('cwd "work" is not an absolute path');
    const unknownMethod = await errorOf(agent.agent.request('conduit/nonsense', {}));
    expect(unknownMethod.code).toBe(-32601);
    const { sessionId } = await agent.agent.request(methods.agent.session.new, {
      cwd: home.cwd,
      mcpServers: [],
    });
    const badMode = await errorOf(
      agent.agent.request(methods.agent.session.setMode, { sessionId, modeId: 'yolo' }),
    );
    expect(badMode.code).toBe(-32602);
    const audio = await errorOf(
      agent.agent.request(methods.agent.session.prompt, {
        sessionId,
        prompt: [{ type: 'audio', data: 'AAAA', mimeType: 'audio/wav' }],
      }),
    );
    expect(audio.code).toBe(-32602);

    fake.setHandler(() => say('still alive'));
    const ok = await agent.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'hi' }],
    });
    expect(ok.stopReason).toBe('end_turn');
    expect(agent.child.exitCode).toBeNull();
  });

  it('asks for authentication, naming the variable, when the provider key is missing', async () => {
    const keyed = makeHome(fake.url);
    // A provider that needs a key the environment does not have.
    const config = join(keyed.home, 'config.toml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'wire_api = "responses"',
        'wire_api = "responses"\nenv_key = "CONDUIT_TEST_MISSING_KEY"',
      ),
    );
    const agent = startAgent(keyed, { env: { CONDUIT_TEST_MISSING_KEY: '' } });
    open.push(agent);
    const init = await initialize(agent);
    expect(init.authMethods).toEqual([expect.objectContaining({ id: 'env:CONDUIT_TEST_MISSING_KEY' })]);
    const denied = await errorOf(
      agent.agent.request(methods.agent.session.new, { cwd: keyed.cwd, mcpServers: [] }),
    );
    expect(denied.code).toBe(-32000);
    expect(denied.message).toContain('environment variable CONDUIT_TEST_MISSING_KEY is not set');
    const auth = await errorOf(
      agent.agent.request(methods.agent.authenticate, { methodId: 'env:CONDUIT_TEST_MISSING_KEY' }),
    );
    expect(auth.code).toBe(-32000);
  });

  it('ends turns with max_tokens, refuses a second prompt while one runs, and cancels on $/cancel_request', async () => {
    const home = makeHome(fake.url);
    const agent = await started(home);
    const { sessionId } = await agent.agent.request(methods.agent.session.new, {
      cwd: home.cwd,
      mcpServers: [],
    });
    const incomplete = {
      type: 'response.incomplete',
      response: { id: 'r1', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    };
    fake.setHandler(() => ({
      steps: [
        { type: 'text', text: 'partial' },
        { type: 'raw', data: JSON.stringify(incomplete) },
      ],
      end: 'eof',
    }));
    const cut = await agent.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'write a lot' }],
    });
    expect(cut.stopReason).toBe('max_tokens');

    fake.setHandler(() => ({ steps: [{ type: 'stall', ms: 600_000 }] }));
    const before = fake.requests.length;
    const cancel = new AbortController();
    const slow = agent.agent.request(
      methods.agent.session.prompt,
      { sessionId, prompt: [{ type: 'text', text: 'think forever' }] },
      { cancellationSignal: cancel.signal },
    );
    await waitFor(() => fake.requests.length > before);
    const busy = await errorOf(
      agent.agent.request(methods.agent.session.prompt, {
        sessionId,
        prompt: [{ type: 'text', text: 'me too' }],
      }),
    );
    expect(busy.code).toBe(-32600);
    expect(busy.message).toContain('a prompt is already running in this session');
    cancel.abort();
    expect((await slow).stopReason).toBe('cancelled');
  });

  it("forwards an MCP server's elicitation to the editor and its answer back", async () => {
    const home = makeHome(fake.url);
    const agent = startAgent(home, {
      elicit: async () => ({ action: 'accept', content: { name: 'Ada Lovelace' } }),
    });
    open.push(agent);
    await initialize(agent, { elicitation: { form: {} } });
    const { sessionId } = await agent.agent.request(methods.agent.session.new, {
      cwd: home.cwd,
      mcpServers: [{ name: 'everything', command: process.execPath, args: [EVERYTHING], env: [] }],
    });
    let toolOutput = '';
    fake.setHandler((request) => {
      const outputs = toolOutputsThisTurn(request.body);
      if (outputs.length > 0) {
        toolOutput = outputs[0];
        return say('thanks');
      }
      return {
        steps: [
          { type: 'tool_call', name: 'everything__trigger-elicitation-request', arguments: {}, callId: 'e1' },
          usage,
        ],
      };
    });
    const response = await agent.agent.request(methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: 'text', text: 'ask me' }],
    });
    expect(response.stopReason).toBe('end_turn');
    expect(agent.elicitations).toEqual([
      expect.objectContaining({
        mode: 'form',
        sessionId,
        message: 'everything: Please provide inputs for the following fields:',
        requestedSchema: expect.objectContaining({ required: ['name'] }),
      }),
    ]);
    expect(toolOutput).toContain('Ada Lovelace');
  });
});
