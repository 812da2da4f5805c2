import { appendFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../src/protocol/models.js';
import { findLatestRollout, findRolloutById, readRollout } from '../../src/session/resume.js';
import { RolloutRecorder, rolloutPathFor } from '../../src/session/rollout.js';
import { tempDir } from './helpers.js';

const user = (text: string): ResponseItem => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
});
const meta = (id: string, provider: string) => ({
  id,
  timestamp: new Date().toISOString(),
  cwd: '/repo',
  originator: 'test',
  cli_version: '0.0.0',
  source: 'test',
  model_provider: provider,
});

describe('rollouts', () => {
  it('names files by local date and time under sessions/YYYY/MM/DD', () => {
    const at = new Date(2025, 0, 2, 3, 4, 5);
    expect(rolloutPathFor('/home', 'abc', at)).toBe(
      '/home/sessions/2025/01/02/rollout-2025-01-02T03-04-05-abc.jsonl',
    );
  });

  it('records lines, and resume tolerates a torn last line, then appends cleanly', () => {
    const home = tempDir('conduit-rollout-');
    const path = rolloutPathFor(home, 'id-1', new Date(2025, 0, 2, 3, 4, 5));
    const rec = RolloutRecorder.create(path, meta('id-1', 'fake'), (t) => t);
    rec.record({ type: 'response_item', payload: user('hello') });
    rec.record({ type: 'event_msg', payload: { type: 'user_message', message: 'hello' } });
    rec.close();
    appendFileSync(path, '{"timestamp":"2025-01-02T03:04:06.000Z","type":"response_it');

    const resumed = readRollout(path);
    expect(resumed.meta.id).toBe('id-1');
    expect(resumed.history).toEqual([user('hello')]);
    expect(resumed.initialMessages).toEqual([{ type: 'user_message', message: 'hello' }]);
    expect(resumed.warnings).toEqual([
      `${path}: ignored a partly written last line (the session was probably killed mid-write)`,
    ]);

    const again = RolloutRecorder.resume(path, (t) => t);
    again.record({ type: 'response_item', payload: user('more') });
    again.close();
    expect(readRollout(path).history).toEqual([user('hello'), user('more')]);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(5);
  });

  it('replaces everything before a compacted line with its replacement history', () => {
    const home = tempDir('conduit-rollout-');
    const path = rolloutPathFor(home, 'id-2', new Date());
    const rec = RolloutRecorder.create(path, meta('id-2', 'fake'), (t) => t);
    rec.record({ type: 'response_item', payload: user('old') });
    rec.record({ type: 'compacted', payload: { message: 'sum', replacement_history: [user('summary')] } });
    rec.record({ type: 'response_item', payload: user('new') });
    rec.close();
    expect(readRollout(path).history).toEqual([user('summary'), user('new')]);
  });

  it('finds a session by id and the newest one, optionally for a provider', () => {
    const home = tempDir('conduit-rollout-');
    RolloutRecorder.create(
      rolloutPathFor(home, 'old-a', new Date(2024, 5, 1, 10)),
      meta('old-a', 'a'),
      (t) => t,
    ).close();
    RolloutRecorder.create(
      rolloutPathFor(home, 'new-b', new Date(2025, 5, 1, 10)),
      meta('new-b', 'b'),
      (t) => t,
    ).close();
    expect(findRolloutById(home, 'old-a')).toContain('rollout-2024-06-01T10-00-00-old-a.jsonl');
    expect(findRolloutById(home, 'missing')).toBeUndefined();
    expect(findLatestRollout(home)).toContain('new-b');
    expect(findLatestRollout(home, 'a')).toContain('old-a');
    expect(findLatestRollout(home, 'c')).toBeUndefined();
  });
});
