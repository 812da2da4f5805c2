import { describe, expect, it } from 'vitest';
import { Transcript } from '../../../src/cli/tui/model/transcript.js';
import type { EventMsg } from '../../../src/index.js';

const feed = (t: Transcript, ...msgs: EventMsg[]) => {
  for (const msg of msgs) t.apply({ id: '1', msg }, 1000);
};
const configured: EventMsg = {
  type: 'session_configured',
  session_id: 's1',
  model: 'm',
  model_provider_id: 'openai',
  approval_policy: 'on-request',
  sandbox_policy: { type: 'read-only' },
  cwd: '/repo',
};

describe('Transcript', () => {
  it('prints streamed paragraphs as they finish and the rest with the final message, each once', () => {
    const t = new Transcript('test');
    feed(
      t,
      configured,
      { type: 'task_started' },
      { type: 'agent_message_delta', delta: 'First para.\n\nSecond' },
    );
    expect(t.cells.map((c) => c.kind)).toEqual(['header', 'answer']);
    expect(t.streaming).toBe('Second');
    feed(
      t,
      { type: 'agent_message_delta', delta: ' para.' },
      { type: 'agent_message', message: 'First para.\n\nSecond para.' },
    );
    expect(
      t.cells.filter((c) => c.kind === 'answer').map((c) => (c.kind === 'answer' ? c.markdown : '')),
    ).toEqual(['First para.', 'Second para.']);
    expect(t.streaming).toBe('');
  });

  it('keeps a running command live with its output tail, then folds it into one cell', () => {
    const t = new Transcript();
    feed(t, configured, {
      type: 'exec_command_begin',
      call_id: 'c',
      command: ['bash', '-lc', 'seq 20'],
      cwd: '/repo',
    });
    const out = Array.from({ length: 20 }, (_, i) => `${i + 1}\n`).join('');
    feed(t, {
      type: 'exec_command_output_delta',
      call_id: 'c',
      stream: 'stdout',
      chunk: Buffer.from(out).toString('base64'),
    });
    expect(t.running.get('c')?.tail).toEqual(['16', '17', '18', '19', '20']);
    expect(t.activity).toBe('Running seq 20');
    feed(t, {
      type: 'exec_command_end',
      call_id: 'c',
      stdout: out,
      stderr: '',
      aggregated_output: out,
      exit_code: 0,
      duration_ms: 5,
      formatted_output: out,
    });
    expect(t.running.size).toBe(0);
    const cell = t.cells.at(-1);
    expect(cell).toMatchObject({ kind: 'exec', command: 'seq 20', exitCode: 0, hidden: 10, hiddenAt: 5 });
  });

  it('queues approval requests and clears them when the turn ends', () => {
    const t = new Transcript();
    feed(
      t,
      configured,
      { type: 'task_started' },
      {
        type: 'exec_approval_request',
        call_id: 'a',
        command: ['rm', 'x'],
        cwd: '/repo',
        session_scope: ['rm x'],
      },
    );
    expect(t.approvals).toEqual([
      {
        kind: 'exec',
        callId: 'a',
        command: ['rm', 'x'],
        cwd: '/repo',
        reason: undefined,
        sessionScope: ['rm x'],
      },
    ]);
    feed(t, { type: 'turn_aborted', reason: 'interrupted' });
    expect(t.approvals).toEqual([]);
    expect(t.busySince).toBeUndefined();
    expect(t.cells.at(-1)).toMatchObject({ kind: 'warning', text: 'Interrupted.' });
  });

  it("replays a resumed session's messages as cells", () => {
    const t = new Transcript();
    feed(t, {
      ...configured,
      initial_messages: [
        { type: 'user_message', message: 'q' },
        { type: 'agent_message', message: 'a' },
      ],
    } as EventMsg);
    expect(t.cells.map((c) => c.kind)).toEqual(['header', 'user', 'answer']);
    expect(t.cells[0]).toMatchObject({ resumed: true });
  });
});
