import { describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../src/protocol/models.js';
import { buildCompactedHistory, collectUserMessages, SUMMARY_PREFIX } from '../../src/session/compact.js';
import {
  diffEnvironmentContext,
  environmentContextFor,
  renderEnvironmentContext,
} from '../../src/session/environment-context.js';
import { createRedactor } from '../../src/session/redact.js';
import { applyOverrides, settingsFromConfig } from '../../src/session/turn-context.js';
import { fakeConfig } from './helpers.js';

const user = (text: string): ResponseItem => ({
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text }],
});

describe('environment context', () => {
  it('renders every field and diffs only what changed', () => {
    const before = environmentContextFor(
      {
        cwd: '/repo',
        approvalPolicy: 'on-request',
        sandboxPolicy: {
          type: 'workspace-write',
          writableRoots: ['/extra'],
          networkAccess: false,
          excludeSlashTmp: false,
          excludeTmpdirEnvVar: false,
        },
      },
      'bash',
    );
    expect(renderEnvironmentContext(before)).toBe(
      [
        '<environment_context>',
        '  <cwd>/repo</cwd>',
        '  <approval_policy>on-request</approval_policy>',
        '  <sandbox_mode>workspace-write</sandbox_mode>',
        '  <network_access>restricted</network_access>',
        '  <writable_roots>',
        '    <root>/extra</root>',
        '  </writable_roots>',
        '  <shell>bash</shell>',
        '</environment_context>',
      ].join('\n'),
    );
    const after = environmentContextFor(
      { cwd: '/other', approvalPolicy: 'on-request', sandboxPolicy: { type: 'danger-full-access' } },
      'bash',
    );
    expect(diffEnvironmentContext(before, after)).toEqual({
      cwd: '/other',
      sandboxMode: 'danger-full-access',
      networkAccess: 'enabled',
      writableRoots: [],
    });
    expect(diffEnvironmentContext(after, after)).toBeUndefined();
  });
});

describe('turn overrides', () => {
  it('re-derives the model family on a model switch and refuses unknown providers', async () => {
    const config = await fakeConfig('http://127.0.0.1:9/v1');
    const start = settingsFromConfig(config);
    const switched = applyOverrides(start, { model: 'gpt-5-codex', effort: null }, config);
    expect(switched.family.family).toBe('gpt-5-codex');
    expect(switched.family.applyPatchToolType).toBe('freeform');
    expect(switched.effort).toBeUndefined();
    expect(switched.cwd).toBe(start.cwd);
    expect(() => applyOverrides(start, { model_provider: 'nowhere' }, config)).toThrow(
      'model provider "nowhere" is not configured',
    );
    expect(applyOverrides(start, { model_provider: 'oss' }, config).provider.id).toBe('oss');
  });
});

describe('compaction history', () => {
  it('keeps the initial context, the user messages (not injected context or old summaries) and the summary', () => {
    const history: ResponseItem[] = [
      user('<environment_context>\n</environment_context>'),
      user('# AGENTS.md instructions for /repo\n\n<INSTRUCTIONS>\nx\n</INSTRUCTIONS>'),
      user('first request'),
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'done' }] },
      user(`${SUMMARY_PREFIX}\nold summary`),
      user('second request'),
    ];
    expect(collectUserMessages(history)).toEqual(['first request', 'second request']);
    const initial = [user('<environment_context>\n</environment_context>')];
    const compacted = buildCompactedHistory(initial, ['first request', 'second request'], 'the summary', 21);
    expect(compacted).toEqual([
      initial[0],
      user('request'),
      user('second request'),
      user(`${SUMMARY_PREFIX}\nthe summary`),
    ]);
  });
});

describe('redaction', () => {
  it('masks known secrets, their JSON-escaped forms and bearer tokens', () => {
    const redact = createRedactor(['sk-test-1234567890', 'pa"ss\\word99']);
    const line = JSON.stringify({
      text: 'key sk-test-1234567890 and pa"ss\\word99; Authorization: Bearer abcdefghijklmnop',
    });
    const out = redact(line);
    expect(out).not.toContain('sk-test-1234567890');
    expect(out).not.toContain('abcdefghijklmnop');
    expect(out).not.toContain(JSON.stringify('pa"ss\\word99').slice(1, -1));
    expect(JSON.parse(out).text).toBe('key [REDACTED] and [REDACTED]; Authorization: Bearer [REDACTED]');
  });
});
