// The pure mapping layer of `conduit acp`, without a process: prompt blocks → user input, events →
// session updates, approvals ↔ permission options, modes, MCP server configs, diffs, turn errors.

import { describe, expect, it } from 'vitest';
import { commandKind, commandLocations, commandTitle } from '../../../src/cli/acp/command-kind.js';
import { diffsForChanges, diffsForFiles } from '../../../src/cli/acp/diffs.js';
import { clientMcpServers } from '../../../src/cli/acp/mcp-servers.js';
import { CONFIGURED_MODE, modeOverrides, modeState, presetIdFor } from '../../../src/cli/acp/modes.js';
import { decisionFor, decisionOnFailure, permissionOptions } from '../../../src/cli/acp/permissions.js';
import { promptToInput, slashCommandOf } from '../../../src/cli/acp/prompt-input.js';
import { truncationStopReason, turnErrorOutcome } from '../../../src/cli/acp/turn-end.js';
import { fenced, UpdateMapper } from '../../../src/cli/acp/updates.js';
import type { McpServerConfig } from '../../../src/index.js';

describe('prompt blocks → user input', () => {
  it('keeps text, turns images into data URLs, names links and inlines embedded files after the text', () => {
    const items = promptToInput([
      { type: 'text', text: 'look at' },
      { type: 'resource_link', name: 'main.ts', uri: 'file:///repo/src/main%20file.ts' },
      { type: 'resource_link', name: 'thread', uri: 'zed:///agent/thread/42' },
      { type: 'resource', resource: { uri: 'file:///repo/a.ts', text: 'const a = 1;' } },
      { type: 'image', data: 'iVBOR', mimeType: 'image/png' },
    ]);
    expect(items).toEqual([
      { type: 'text', text: 'look at' },
      { type: 'text', text: '[@main.ts](/repo/src/main file.ts)' },
      { type: 'text', text: '[@thread](zed:///agent/thread/42)' },
      { type: 'image', image_url: 'data:image/png;base64,iVBOR' },
      { type: 'text', text: '<context ref="/repo/a.ts">\nconst a = 1;\n</context>' },
    ]);
  });

  it('refuses audio and empty prompts with invalid params', () => {
    expect(() => promptToInput([{ type: 'audio', data: 'x', mimeType: 'audio/wav' }])).toThrow(/audio/);
    expect(() => promptToInput([])).toThrow(/no content/);
  });

  it('recognises slash commands', () => {
    expect(slashCommandOf([{ type: 'text', text: '/compact' }])).toEqual({ name: 'compact', args: '' });
    expect(slashCommandOf([{ type: 'text', text: ' /status now ' }])).toEqual({
      name: 'status',
      args: 'now',
    });
    expect(slashCommandOf([{ type: 'text', text: 'a /diff' }])).toBeUndefined();
  });
});

describe('permissions', () => {
  it('offers allow once, allow for the session and reject', () => {
    expect(permissionOptions('exec').map((o) => [o.optionId, o.kind])).toEqual([
      ['allow-once', 'allow_once'],
      ['allow-session', 'allow_always'],
      ['reject', 'reject_once'],
    ]);
  });

  it('maps answers to decisions: reject is denied (the turn goes on), cancelled is abort', () => {
    const pick = (optionId: string) => decisionFor({ outcome: { outcome: 'selected', optionId } });
    expect(pick('allow-once').decision).toBe('approved');
    expect(pick('allow-session').decision).toBe('approved_for_session');
    expect(pick('reject').decision).toBe('denied');
    expect(pick('bogus')).toEqual({
      decision: 'denied',
      problem: 'the client chose an unknown option "bogus"',
    });
    expect(decisionFor({ outcome: { outcome: 'cancelled' } }).decision).toBe('abort');
    expect(decisionOnFailure(new Error('closed'))).toEqual({
      decision: 'denied',
      problem: 'the permission request failed (closed)',
    });
  });
});

describe('commands as tool calls', () => {
  it('titles scripts as typed and classifies reads and searches', () => {
    expect(commandTitle(['bash', '-lc', 'npm test'])).toBe('npm test');
    expect(commandTitle(['git', 'commit', '-m', "it's done"])).toBe(`git commit -m 'it'\\''s done'`);
    expect(commandKind(['bash', '-lc', 'cat src/a.ts'])).toBe('read');
    expect(commandKind(['bash', '-lc', 'sed -n 1,20p a.ts'])).toBe('read');
    expect(commandKind(['rg', 'TODO'])).toBe('search');
    expect(commandKind(['bash', '-lc', 'cat a | sh'])).toBe('execute');
    expect(commandKind(['npm', 'test'])).toBe('execute');
    expect(commandLocations(['bash', '-lc', 'head -n 5 src/a.ts /etc/hosts'], '/repo')).toEqual([
      { path: '/repo/src/a.ts' },
      { path: '/etc/hosts' },
    ]);
  });
});

describe('events → session updates', () => {
  it('streams answer and reasoning deltas once, or the whole message when nothing was streamed', () => {
    const m = new UpdateMapper({ notices: false });
    expect(m.map({ type: 'agent_message_delta', delta: 'Hel' })).toEqual([
      { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'Hel' } },
    ]);
    expect(m.map({ type: 'agent_message', message: 'Hello' })).toEqual([]);
    expect(m.map({ type: 'agent_message', message: 'Unstreamed' })).toEqual([
      { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'Unstreamed' } },
    ]);
    expect(m.map({ type: 'agent_reasoning', text: 'Thinking' })).toEqual([
      { sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: 'Thinking' } },
    ]);
  });

  it('turns update_plan into a plan', () => {
    const m = new UpdateMapper({ notices: false });
    expect(m.map({ type: 'plan_update', plan: [{ step: 'write tests', status: 'in_progress' }] })).toEqual([
      {
        sessionUpdate: 'plan',
        entries: [{ content: 'write tests', priority: 'medium', status: 'in_progress' }],
      },
    ]);
  });

  it('announces a command once (pending while asked), then updates it with output and status', () => {
    const m = new UpdateMapper({ notices: false });
    const asked = m.map({
      type: 'exec_approval_request',
      call_id: 'c',
      command: ['bash', '-lc', 'ls'],
      cwd: '/r',
    });
    expect(asked).toEqual([
      expect.objectContaining({
        sessionUpdate: 'tool_call',
        toolCallId: 'c',
        status: 'pending',
        kind: 'search',
        title: 'ls',
      }),
    ]);
    expect(
      m.map({ type: 'exec_command_begin', call_id: 'c', command: ['bash', '-lc', 'ls'], cwd: '/r' }),
    ).toEqual([{ sessionUpdate: 'tool_call_update', toolCallId: 'c', status: 'in_progress' }]);
    // A UTF-8 character split across two chunks is decoded whole.
    const euro = Buffer.from('€');
    m.map({
      type: 'exec_command_output_delta',
      call_id: 'c',
      stream: 'stdout',
      chunk: euro.subarray(0, 1).toString('base64'),
    });
    const delta = m.map({
      type: 'exec_command_output_delta',
      call_id: 'c',
      stream: 'stdout',
      chunk: euro.subarray(1).toString('base64'),
    });
    expect(delta).toEqual([
      {
        sessionUpdate: 'tool_call_update',
        toolCallId: 'c',
        content: [{ type: 'content', content: { type: 'text', text: '```\n€\n```' } }],
      },
    ]);
    const end = m.map({
      type: 'exec_command_end',
      call_id: 'c',
      stdout: '€',
      stderr: '',
      aggregated_output: '€',
      exit_code: 2,
      duration_ms: 5,
      formatted_output: '€',
    });
    expect(end).toEqual([expect.objectContaining({ sessionUpdate: 'tool_call_update', status: 'failed' })]);
  });

  it('creates the tool call for an end whose beginning it never saw, and maps MCP failures', () => {
    const m = new UpdateMapper({ notices: false });
    const end = m.map({
      type: 'mcp_tool_call_end',
      call_id: 'm',
      invocation: { server: 'docs', tool: 'search' },
      duration_ms: 1,
      result: { err: 'server died' },
    });
    expect(end.map((u) => u.sessionUpdate)).toEqual(['tool_call', 'tool_call_update']);
    expect(end[1]).toMatchObject({
      status: 'failed',
      content: [{ type: 'content', content: { text: 'server died' } }],
    });
  });

  it('reports context usage, and warnings as notices or thought chunks', () => {
    const usage = {
      input_tokens: 90,
      cached_input_tokens: 0,
      output_tokens: 10,
      reasoning_output_tokens: 0,
      total_tokens: 100,
    };
    const m = new UpdateMapper({ notices: true });
    expect(
      m.map({
        type: 'token_count',
        info: { total_token_usage: usage, last_token_usage: usage, model_context_window: 1000 },
      }),
    ).toEqual([{ sessionUpdate: 'usage_update', used: 100, size: 1000 }]);
    expect(m.map({ type: 'warning', message: 'careful' })).toEqual([
      { sessionUpdate: 'notice', severity: 'warning', title: 'careful' },
    ]);
    expect(
      new UpdateMapper({ notices: false }).map({ type: 'warning', message: 'careful' })[0],
    ).toMatchObject({
      sessionUpdate: 'agent_thought_chunk',
    });
  });

  it('fences output that itself contains fences', () => {
    expect(fenced('a ``` b')).toBe('````\na ``` b\n````');
  });
});

describe('diffs', () => {
  it('rebuilds whole old/new texts from a patch, and falls back to the unified diff', async () => {
    const read = async (path: string) => (path === '/r/a.txt' ? 'one\ntwo\n' : null);
    const diffs = await diffsForChanges(
      {
        '/r/a.txt': { type: 'update', unified_diff: '@@ -1,2 +1,2 @@\n one\n-two\n+three\n' },
        '/r/new.txt': { type: 'add', content: 'new\n' },
        '/r/gone.txt': { type: 'delete', content: 'old\n' },
        '/r/missing.txt': { type: 'update', unified_diff: '@@ -1 +1 @@\n-x\n+y\n' },
      },
      read,
    );
    expect(diffs).toEqual([
      { type: 'diff', path: '/r/a.txt', oldText: 'one\ntwo\n', newText: 'one\nthree\n' },
      { type: 'diff', path: '/r/new.txt', oldText: null, newText: 'new\n' },
      { type: 'diff', path: '/r/gone.txt', oldText: 'old\n', newText: '' },
      {
        type: 'content',
        content: { type: 'text', text: '/r/missing.txt\n```diff\n@@ -1 +1 @@\n-x\n+y\n```' },
      },
    ]);
    expect(
      diffsForFiles([
        { realPath: '/r/a.txt', before: 'a', after: 'b' },
        { realPath: '/r/same', before: 'x', after: 'x' },
      ]),
    ).toEqual([{ type: 'diff', path: '/r/a.txt', oldText: 'a', newText: 'b' }]);
  });
});

describe('modes', () => {
  const workspace = {
    type: 'workspace-write' as const,
    writableRoots: ['/extra'],
    networkAccess: true,
    excludeTmpdirEnvVar: false,
    excludeSlashTmp: false,
  };

  it('names the preset of a policy pair, or offers the configured pair as its own mode', () => {
    expect(presetIdFor('on-request', 'workspace-write')).toBe('auto');
    expect(presetIdFor('untrusted', 'workspace-write')).toBe(CONFIGURED_MODE);
    expect(
      modeState('auto', { policy: 'on-request', sandbox: 'read-only' }).availableModes.map((m) => m.id),
    ).toEqual(['read-only', 'auto', 'full-access']);
  });

  it('keeps the configured workspace-write details when switching to auto', () => {
    expect(modeOverrides('auto', { policy: 'untrusted', sandboxPolicy: workspace })).toEqual({
      approval_policy: 'on-request',
      sandbox_policy: workspace,
    });
    expect(modeOverrides('full-access', { policy: 'untrusted', sandboxPolicy: workspace })).toEqual({
      approval_policy: 'never',
      sandbox_policy: { type: 'danger-full-access' },
    });
    expect(modeOverrides('nope', { policy: 'untrusted', sandboxPolicy: workspace })).toBeUndefined();
  });
});

describe("the client's MCP servers", () => {
  it('converts stdio and http servers, renaming one that clashes with config.toml', () => {
    const configured = { docs: {} as McpServerConfig };
    const { servers, warnings } = clientMcpServers(
      [
        { name: 'docs', command: 'docs-mcp', args: ['--x'], env: [{ name: 'TOKEN', value: 't' }] },
        {
          type: 'http',
          name: 'web search',
          url: 'http://127.0.0.1:9/mcp',
          headers: [{ name: 'X-Key', value: 'k' }],
        },
      ],
      configured,
    );
    expect(servers.docs_editor.transport).toEqual({
      type: 'stdio',
      command: 'docs-mcp',
      args: ['--x'],
      env: { TOKEN: 't' },
      envVars: [],
    });
    expect(servers.web_search.transport).toEqual({
      type: 'http',
      url: 'http://127.0.0.1:9/mcp',
      httpHeaders: { 'X-Key': 'k' },
      envHttpHeaders: {},
    });
    expect(warnings).toEqual([expect.stringContaining('docs_editor__<tool>')]);
  });

  it('refuses SSE servers with a message naming the server', () => {
    expect(() =>
      clientMcpServers([{ type: 'sse', name: 'old', url: 'http://127.0.0.1:9/sse', headers: [] }], {}),
    ).toThrow(/mcpServers\[0\] "old": SSE transport is not supported/);
  });
});

describe('turn errors', () => {
  it('turns output limits and refusals into stop reasons, and the rest into errors', () => {
    expect(turnErrorOutcome('the response is incomplete: max_output_tokens')).toEqual({
      stopReason: 'max_tokens',
    });
    expect(turnErrorOutcome('the response is incomplete: content_filter')).toEqual({ stopReason: 'refusal' });
    const auth = turnErrorOutcome('HTTP 401 Unauthorized');
    expect('error' in auth && auth.error.code).toBe(-32000);
    expect(
      truncationStopReason(
        `the model's answer was cut short (it reached the output token limit; the server said "max_output_tokens"); the partial answer is kept`,
      ),
    ).toBe('max_tokens');
    expect(truncationStopReason(`the model's answer was cut short (a content filter stopped it; …)`)).toBe(
      'refusal',
    );
    expect(truncationStopReason('MCP server x failed to start')).toBeUndefined();
    const other = turnErrorOutcome('connection reset');
    expect('error' in other && other.error.code).toBe(-32603);
  });
});
