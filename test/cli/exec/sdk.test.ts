// @openai/codex-sdk driving `conduit` in place of the Codex binary (codexPathOverride), against the fake
// model: the SDK's own argv, stdin and environment conventions must just work.

import { Codex } from '@openai/codex-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { CONDUIT_BIN, cleanEnv, gitDir, tempDir } from './helpers.js';

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

function codex() {
  const home = tempDir('conduit-home-');
  return new Codex({
    codexPathOverride: CONDUIT_BIN,
    baseUrl: fake.url,
    apiKey: 'sk-sdk-test-key-0000',
    env: cleanEnv(home) as Record<string, string>,
  });
}
const bodies = () =>
  fake.requests
    .filter((r) => r.wire === 'responses')
    .map((r) => r.body as { input: unknown[]; text?: { format?: unknown } });

describe('@openai/codex-sdk with conduit', () => {
  it('run() returns the items, the final response and the usage; resumeThread() continues it', async () => {
    fake.enqueue(
      {
        steps: [
          {
            type: 'tool_call',
            name: 'update_plan',
            callId: 'p',
            arguments: { plan: [{ step: 'look', status: 'completed' }] },
          },
          { type: 'usage', input: 40, output: 4 },
        ],
      },
      {
        steps: [
          { type: 'reasoning', summary: 'easy' },
          { type: 'text', text: 'All done.' },
          { type: 'usage', input: 60, cached: 6, output: 6 },
        ],
      },
      {
        steps: [
          { type: 'text', text: 'Still here.' },
          { type: 'usage', input: 80, output: 2 },
        ],
      },
    );
    const sdk = codex();
    const thread = sdk.startThread({ workingDirectory: gitDir(), skipGitRepoCheck: true });
    const turn = await thread.run('Check the repo');
    expect(turn.finalResponse).toBe('All done.');
    expect(turn.items.map((item) => item.type)).toEqual(['reasoning', 'agent_message', 'todo_list']);
    expect(turn.usage).toMatchObject({ input_tokens: 100, cached_input_tokens: 6, output_tokens: 10 });
    expect(thread.id).toMatch(/^[0-9a-f-]{36}$/);

    const again = sdk.resumeThread(thread.id!, { skipGitRepoCheck: true });
    const next = await again.run('Are you still there?');
    expect(next.finalResponse).toBe('Still here.');
    expect(again.id).toBe(thread.id);
    expect(JSON.stringify(bodies()[2].input)).toContain('Check the repo');
    // Usage is cumulative over the session, as codex exec reports it.
    expect(next.usage?.input_tokens).toBe(180);
  });

  it('runStreamed() yields the JSONL events as they happen', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: 'streamed' }] });
    const thread = codex().startThread({ skipGitRepoCheck: true, workingDirectory: gitDir() });
    const { events } = await thread.runStreamed('stream please');
    const seen: string[] = [];
    for await (const event of events) seen.push(event.type);
    expect(seen).toEqual(['thread.started', 'turn.started', 'item.completed', 'turn.completed']);
  });

  it('passes outputSchema to the model as a strict JSON schema format', async () => {
    fake.enqueue({ steps: [{ type: 'text', text: '{"answer":"42"}' }] });
    const schema = {
      type: 'object',
      properties: { answer: { type: 'string' } },
      required: ['answer'],
      additionalProperties: false,
    } as const;
    const turn = await codex()
      .startThread({ skipGitRepoCheck: true, workingDirectory: gitDir() })
      .run('answer', { outputSchema: schema });
    expect(JSON.parse(turn.finalResponse)).toEqual({ answer: '42' });
    expect(bodies()[0].text?.format).toMatchObject({ type: 'json_schema', strict: true, schema });
  });

  it('an abort signal stops the run', async () => {
    fake.enqueue({
      steps: [
        { type: 'text', text: 'slow' },
        { type: 'stall', ms: 30_000 },
      ],
    });
    const controller = new AbortController();
    const thread = codex().startThread({ skipGitRepoCheck: true, workingDirectory: gitDir() });
    const timer = setInterval(() => {
      if (fake.requests.length > 0) {
        clearInterval(timer);
        controller.abort();
      }
    }, 20);
    // The SDK kills conduit with SIGTERM, which ends the turn cleanly: the SDK reports the aborted turn
    // (or its own abort, if that wins the race).
    await expect(thread.run('take your time', { signal: controller.signal })).rejects.toThrow(
      /abort|interrupted/i,
    );
  });

  it('throws the turn failure message when the model fails', async () => {
    fake.enqueue({
      status: 400,
      body: { error: { message: 'model not found', type: 'invalid_request_error' } },
    });
    const thread = codex().startThread({ skipGitRepoCheck: true, workingDirectory: gitDir() });
    await expect(thread.run('hi')).rejects.toThrow(/model not found/);
  });
});
