// The pure parts of the MCP server: argument schemas, config → -c texts, elicitation shapes and replies,
// progress lines, listen addresses and bearer checks.

import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { configToOverrides } from '../../../src/cli/mcp-server/config-overrides.js';
import {
  execElicitation,
  parseElicitationReply,
  patchElicitation,
} from '../../../src/cli/mcp-server/elicitation.js';
import { bearerMatches, isLoopback, parseListenAddress } from '../../../src/cli/mcp-server/http.js';
import { parseApprovalTimeout } from '../../../src/cli/mcp-server/index.js';
import { progressMessage } from '../../../src/cli/mcp-server/progress.js';
import { restoredSettings } from '../../../src/cli/mcp-server/threads.js';
import { codexArgs, codexReplyArgs, describeIssues } from '../../../src/cli/mcp-server/tool-schemas.js';
import { parseCliOverride } from '../../../src/config/overrides.js';
import { load } from '../../config/helpers.js';

describe('config → -c overrides', () => {
  it('flattens nested objects to leaves and keeps dotted top-level keys', () => {
    expect(
      configToOverrides({
        model_reasoning_effort: 'high',
        'sandbox_workspace_write.network_access': true,
        model_providers: { local: { base_url: 'http://127.0.0.1:1/v1', request_max_retries: 2 } },
        projects: { '/srv/my app': { trust_level: 'trusted' } },
        project_doc_fallback_filenames: ['A.md', 'B.md'],
        temperature_like: 0.5,
      }),
    ).toEqual([
      'model_reasoning_effort="high"',
      'sandbox_workspace_write.network_access=true',
      'model_providers.local.base_url="http://127.0.0.1:1/v1"',
      'model_providers.local.request_max_retries=2',
      'projects."/srv/my app".trust_level="trusted"',
      'project_doc_fallback_filenames=["A.md", "B.md"]',
      'temperature_like=0.5',
    ]);
  });

  it('produces texts the -c parser reads back to the same values', () => {
    const texts = configToOverrides({
      a: { 'b c': 'quote " and \\ and\nnewline' },
      list: [{ x: 1 }, { y: [true] }],
    });
    expect(texts.map(parseCliOverride).map(({ path, value }) => ({ path, value }))).toEqual([
      { path: ['a', 'b c'], value: 'quote " and \\ and\nnewline' },
      { path: ['list'], value: [{ x: 1 }, { y: [true] }] },
    ]);
  });

  it('refuses null with the key named', () => {
    expect(() => configToOverrides({ model_providers: { x: { name: null } } })).toThrow(
      'config.model_providers.x.name: null has no TOML equivalent',
    );
  });

  it('is applied by loadConfig like -c', async () => {
    const { config } = await load('', {
      cliOverrides: configToOverrides({
        model: 'o3',
        sandbox_workspace_write: { network_access: true },
        sandbox_mode: 'workspace-write',
      }),
    });
    expect(config.model).toBe('o3');
    expect(config.sandboxPolicy).toMatchObject({ type: 'workspace-write', networkAccess: true });
  });
});

describe('tool argument schemas', () => {
  it('accepts Codex-style arguments and refuses unknown or mistyped ones by name', () => {
    expect(codexArgs.parse({ prompt: 'p', 'approval-policy': 'never', config: { a: 1 } })).toMatchObject({
      prompt: 'p',
    });
    const bad = codexArgs.safeParse({ prompt: 'p', sandbox: 'open', extra: 1 });
    expect(bad.success).toBe(false);
    const text = describeIssues('codex', bad.error!);
    expect(text).toContain('sandbox:');
    expect(text).toContain('extra');
  });

  it('takes threadId or its alias conversationId', () => {
    expect(codexReplyArgs.parse({ conversationId: 'c', prompt: 'p' }).conversationId).toBe('c');
    expect(codexReplyArgs.parse({ threadId: 't', prompt: 'p' }).threadId).toBe('t');
    expect(codexReplyArgs.safeParse({ prompt: 'p' }).success).toBe(false);
  });
});

describe('elicitation', () => {
  const origin = { mcpToolCallId: 7, eventId: '3', threadId: 'th' };

  it('builds requests a standard MCP client accepts, with the codex_* fields', () => {
    const exec = execElicitation(
      { call_id: 'c1', command: ['bash', '-lc', 'rm -rf build'], cwd: '/w', reason: 'cleanup' },
      origin,
    );
    expect(ElicitRequestSchema.safeParse({ method: 'elicitation/create', params: exec }).success).toBe(true);
    expect(exec).toMatchObject({
      message: "cleanup\nAllow Conduit to run `bash -lc 'rm -rf build'` in `/w`?",
      codex_elicitation: 'exec-approval',
      codex_mcp_tool_call_id: '7',
      codex_event_id: '3',
      codex_call_id: 'c1',
      codex_cwd: '/w',
    });
    const patch = patchElicitation(
      {
        call_id: 'c2',
        changes: { '/w/a': { type: 'update', unified_diff: '@@', move_path: '/w/b' } },
        grant_root: '/w',
      },
      origin,
    );
    expect(ElicitRequestSchema.safeParse({ method: 'elicitation/create', params: patch }).success).toBe(true);
    expect(patch.message).toBe('Allow Conduit to apply proposed code changes?\n  update /w/a → /w/b');
    expect(patch).toMatchObject({ codex_elicitation: 'patch-approval', codex_grant_root: '/w' });
  });

  it('reads both reply shapes and denies anything unclear, saying why', () => {
    expect(
      parseElicitationReply({ action: 'accept', content: { decision: 'approved_for_session' } }),
    ).toEqual({
      decision: 'approved_for_session',
    });
    expect(parseElicitationReply({ decision: 'abort' })).toEqual({ decision: 'abort' });
    expect(parseElicitationReply({ action: 'decline' })).toEqual({ decision: 'denied' });
    expect(parseElicitationReply({ action: 'cancel' })).toEqual({
      decision: 'denied',
      problem: 'the client dismissed the request',
    });
    expect(parseElicitationReply({ action: 'accept', content: { decision: 'yes' } }).problem).toContain(
      'without a valid decision',
    );
    expect(parseElicitationReply({ decision: 'maybe' }).problem).toContain('has no valid decision');
    expect(parseElicitationReply('approved')).toEqual({
      decision: 'denied',
      problem: `the client's reply "approved" is not an object`,
    });
    expect(parseElicitationReply({ action: 'shrug' }).decision).toBe('denied');
  });
});

describe('progress lines', () => {
  it('reports milestones and skips deltas', () => {
    expect(
      progressMessage({ type: 'exec_command_begin', call_id: 'c', command: ['ls', '-la'], cwd: '/' }),
    ).toBe('running ls -la');
    expect(progressMessage({ type: 'agent_message_delta', delta: 'x' })).toBeUndefined();
    expect(progressMessage({ type: 'token_count', info: {} as never })).toBeUndefined();
    expect(progressMessage({ type: 'agent_message', message: `${'a'.repeat(300)}` })).toHaveLength(201);
  });
});

describe('command-line values', () => {
  it('parses listen addresses and knows loopback', () => {
    expect(parseListenAddress('127.0.0.1:8765')).toEqual({ host: '127.0.0.1', port: 8765 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(() => parseListenAddress('8765')).toThrow('--http 8765: expected HOST:PORT');
    expect(() => parseListenAddress('h:70000')).toThrow('expected HOST:PORT');
    expect([
      isLoopback('127.0.0.1'),
      isLoopback('localhost'),
      isLoopback('::1'),
      isLoopback('0.0.0.0'),
    ]).toEqual([true, true, true, false]);
  });

  it('checks bearer tokens', () => {
    expect(bearerMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerMatches('bearer s3cret', 's3cret')).toBe(true);
    expect(bearerMatches('Bearer s3cre', 's3cret')).toBe(false);
    expect(bearerMatches(undefined, 's3cret')).toBe(false);
  });

  it('parses the approval timeout', () => {
    expect(parseApprovalTimeout(undefined)).toBe(120_000);
    expect(parseApprovalTimeout('0.5')).toBe(500);
    expect(() => parseApprovalTimeout('soon')).toThrow(
      '--approval-timeout soon: expected a positive number of seconds',
    );
  });
});

describe('restoring a stored thread', () => {
  it('restores the last turn settings, except a provider the config lacks', async () => {
    const { config } = await load('');
    const last = {
      cwd: '/',
      approval_policy: 'never' as const,
      sandbox_policy: { type: 'read-only' as const },
      model: 'm',
      model_provider: 'gone',
      summary: 'auto' as const,
    };
    const restored = restoredSettings(last, config);
    expect(restored.overrides).toEqual({
      cwd: '/',
      approval_policy: 'never',
      sandbox_policy: { type: 'read-only' },
    });
    expect(restored.warnings[0]).toContain('model provider "gone"');
    expect(restoredSettings({ ...last, model_provider: 'openai' }, config).overrides).toMatchObject({
      model: 'm',
      model_provider: 'openai',
    });
  });
});
