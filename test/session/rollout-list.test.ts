// Listing saved sessions for pickers: newest first, by directory, in pages, from the head of each file.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSavedSessions } from '../../src/index.js';

function saveSession(home: string, second: number, id: string, cwd: string, firstPrompt?: string): void {
  const dir = join(home, 'sessions', '2026', '11', '30');
  mkdirSync(dir, { recursive: true });
  const stamp = `2026-11-30T10-00-${String(second).padStart(2, '0')}`;
  const lines = [
    {
      type: 'session_meta',
      payload: { id, timestamp: stamp, cwd, originator: 't', cli_version: '0', source: 'test' },
    },
    ...(firstPrompt ? [{ type: 'event_msg', payload: { type: 'user_message', message: firstPrompt } }] : []),
  ];
  writeFileSync(
    join(dir, `rollout-${stamp}-${id}.jsonl`),
    `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
  );
}

describe('listSavedSessions', () => {
  it('lists newest first, filters by directory, pages, and titles sessions by their first prompt', () => {
    const home = mkdtempSync(join(tmpdir(), 'conduit-list-'));
    saveSession(home, 1, 'a', '/p', 'first question\nwith details');
    saveSession(home, 2, 'b', '/other', 'elsewhere');
    saveSession(home, 3, 'c', '/p', `${'x'.repeat(100)}`);
    saveSession(home, 4, 'd', '/p');
    writeFileSync(
      join(home, 'sessions', '2026', '11', '30', 'rollout-2026-11-30T10-00-05-broken.jsonl'),
      'not json\n',
    );

    const all = listSavedSessions(home, { limit: 10 });
    expect(all.sessions.map((s) => s.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(all.more).toBe(false);

    const page1 = listSavedSessions(home, { cwd: '/p', limit: 2 });
    expect(page1.sessions.map((s) => [s.id, s.title])).toEqual([
      ['d', undefined],
      ['c', `${'x'.repeat(79)}…`],
    ]);
    expect(page1.more).toBe(true);
    const page2 = listSavedSessions(home, { cwd: '/p', limit: 2, after: 'c' });
    expect(page2.sessions.map((s) => [s.id, s.title])).toEqual([['a', 'first question']]);
    expect(page2.more).toBe(false);
  });
});
