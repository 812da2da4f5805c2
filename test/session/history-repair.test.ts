import { describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../src/protocol/models.js';
import { ABORTED_CALL_OUTPUT, repairHistory } from '../../src/session/history-repair.js';
import { parseRollout } from '../../src/session/resume.js';

const user = (text: string): ResponseItem => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
});
const call = (id: string): ResponseItem => ({
  type: 'function_call',
  name: 'shell',
  arguments: '{}',
  call_id: id,
});
const output = (id: string, text = 'ok'): ResponseItem => ({
  type: 'function_call_output',
  call_id: id,
  output: text,
});
const aborted = (id: string) => output(id, ABORTED_CALL_OUTPUT);

describe('repairHistory', () => {
  it('leaves a complete history alone', () => {
    const history = [user('hi'), call('a'), output('a'), user('next')];
    expect(repairHistory(history)).toEqual({ history, repaired: [] });
  });

  it('gives each call without output an aborted one, after its run of calls and outputs', () => {
    const history = [user('hi'), call('a'), call('b'), output('a'), user('again'), call('c')];
    expect(repairHistory(history)).toEqual({
      history: [
        user('hi'),
        call('a'),
        call('b'),
        output('a'),
        aborted('b'),
        user('again'),
        call('c'),
        aborted('c'),
      ],
      repaired: ['b', 'c'],
    });
  });

  it('answers a freeform call with a custom output', () => {
    const custom: ResponseItem = { type: 'custom_tool_call', call_id: 'p', name: 'apply_patch', input: '…' };
    expect(repairHistory([custom]).history).toEqual([
      custom,
      { type: 'custom_tool_call_output', call_id: 'p', output: ABORTED_CALL_OUTPUT },
    ]);
  });

  it('runs when a rollout is read, with a warning naming the calls', () => {
    const lines = [
      {
        type: 'session_meta',
        payload: { id: 's', timestamp: 't', cwd: '/', originator: 'x', cli_version: '0', source: 'exec' },
      },
      { type: 'response_item', payload: user('go') },
      { type: 'response_item', payload: call('k') },
    ].map((line) => JSON.stringify({ timestamp: 't', ...line }));
    const resumed = parseRollout('/r.jsonl', `${lines.join('\n')}\n`);
    expect(resumed.history).toEqual([user('go'), call('k'), aborted('k')]);
    expect(resumed.warnings).toEqual([expect.stringMatching(/recorded as aborted \(k\)/)]);
  });
});
