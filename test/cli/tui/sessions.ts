// A long saved session written straight as a rollout file, for the flicker test and the TUI bench.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A saved session of `messages` messages (alternating user and assistant), as a rollout file. */
export function writeLongSession(home: string, cwd: string, id: string, messages: number): void {
  const dir = join(home, 'sessions', '2026', '01', '01');
  mkdirSync(dir, { recursive: true });
  const ts = '2026-01-01T00:00:00.000Z';
  const lines: unknown[] = [
    {
      timestamp: ts,
      type: 'session_meta',
      payload: {
        id,
        timestamp: ts,
        cwd,
        originator: 'test',
        cli_version: 'test',
        source: 'test',
        model_provider: 'openai',
      },
    },
  ];
  for (let i = 0; i < messages; i++) {
    const user = i % 2 === 0;
    const text = user ? `question number ${i}` : `Answer number ${i}: ${'lorem ipsum '.repeat(12)}`;
    lines.push({
      timestamp: ts,
      type: 'response_item',
      payload: {
        type: 'message',
        role: user ? 'user' : 'assistant',
        content: [{ type: user ? 'input_text' : 'output_text', text }],
      },
    });
    lines.push({
      timestamp: ts,
      type: 'event_msg',
      payload: user ? { type: 'user_message', message: text } : { type: 'agent_message', message: text },
    });
  }
  writeFileSync(
    join(dir, `rollout-2026-01-01T00-00-00-${id}.jsonl`),
    `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
  );
}
