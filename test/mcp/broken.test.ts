// Broken servers of our own, started alongside a good one: each failure is reported with its cause, and
// never blocks, breaks or hangs the others or the calls.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { McpConnectionManager } from '../../src/mcp/manager.js';
import type { McpLogEntry, McpStartReport } from '../../src/mcp/types.js';
import { createMcpToolHandlers } from '../../src/tools/handlers/mcp.js';
import { functionCall, tempDir, toolContext } from './context.js';
import { fixture, isAlive, SERVERS, stdioServer } from './helpers.js';

const logs: McpLogEntry[] = [];
const manager = new McpConnectionManager({ cwd: process.cwd(), onLog: (e) => logs.push(e) });
let report: McpStartReport;
const serverCwd = tempDir('conduit-mcp-server-cwd-');

beforeAll(async () => {
  process.env.CONDUIT_TEST_SECRET = 'must-not-leak';
  process.env.CONDUIT_TEST_PASSED = 'named-in-env-vars';
  report = await manager.start([
    stdioServer('good', [SERVERS.memory], {
      env: { MEMORY_FILE_PATH: `${tempDir('conduit-mem-')}/m.jsonl` },
    }),
    stdioServer('exits', [fixture('exits-at-once.mjs')]),
    stdioServer('banner', [fixture('banner-stdout.mjs')]),
    stdioServer('silent', [fixture('silent-tools-list.mjs')], { startupTimeoutSec: 3 }),
    stdioServer('missing', [], { command: 'conduit-no-such-command' }),
    stdioServer('odd', [fixture('odd-tools.mjs')]),
    stdioServer('tools', [fixture('misbehaving-tools.mjs')], { toolTimeoutSec: 1, disabledTools: ['fail'] }),
    {
      ...stdioServer('env', [fixture('print-env.mjs')], { env: { LITERAL: 'yes' } }),
      transport: {
        type: 'stdio',
        command: process.execPath,
        args: [fixture('print-env.mjs')],
        env: { LITERAL: 'yes' },
        envVars: ['CONDUIT_TEST_PASSED'],
        cwd: serverCwd,
      },
    },
    { ...stdioServer('off', [fixture('exits-at-once.mjs')]), enabled: false },
    stdioServer('bad.name', [SERVERS.memory]),
  ]);
});

afterAll(() => manager.close());

const errorFor = (server: string) => report.errors.find((e) => e.server === server)?.message;

describe('start-up with broken servers', () => {
  it('starts the good servers and reports each broken one once, by name', () => {
    expect(manager.serverNames()).toEqual(['banner', 'env', 'good', 'odd', 'tools']);
    expect(report.errors.map((e) => e.server).sort()).toEqual(['bad.name', 'exits', 'missing', 'silent']);
    expect(manager.listTools().some((t) => t.qualifiedName === 'good__read_graph')).toBe(true);
  });

  it('names the exit code and quotes the end of stderr for a server that exits at once', () => {
    expect(errorFor('exits')).toBe(
      "MCP server 'exits' exited with code 3 during initialize\n" +
        '  last lines of its stderr:\n    starting fixture server\n    fatal: FIXTURE_TOKEN is not set',
    );
  });

  it('says a command was not found', () => {
    expect(errorFor('missing')).toContain(
      "MCP server 'missing' failed to start: command not found: conduit-no-such-command",
    );
  });

  it('says which step timed out and suggests startup_timeout_sec', () => {
    // tools/list normally; initialize on a machine too loaded to start node within the 3 s.
    expect(errorFor('silent')).toMatch(
      /^MCP server 'silent' did not finish (tools\/list|initialize) within 3 s/,
    );
    expect(errorFor('silent')).toContain('raise startup_timeout_sec in [mcp_servers.silent]');
  });

  it('rejects an invalid server name', () => {
    expect(errorFor('bad.name')).toContain('is invalid');
  });

  it('tolerates a banner on stdout, warning with the line quoted', async () => {
    expect(report.warnings).toContainEqual({
      server: 'banner',
      message: expect.stringContaining('"Welcome to Banner Server v1.0 (listening on stdio)"'),
    });
    expect((await manager.callTool('banner', 'ping', {})).content).toEqual([{ type: 'text', text: 'pong' }]);
  });

  it('pages through tools/list, drops only the unusable tool, and qualifies odd names', () => {
    const odd = manager.listTools().filter((t) => t.server === 'odd');
    expect(odd.map((t) => t.tool).sort()).toEqual(['files.read', 'météo', 'pick', 'x'.repeat(80)].sort());
    for (const t of odd) expect(t.qualifiedName).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    const read = odd.find((t) => t.qualifiedName === 'odd__files_read');
    expect(read && { server: read.server, tool: read.tool }).toEqual({ server: 'odd', tool: 'files.read' });
    expect(report.warnings.some((w) => w.message.includes("'string_schema'"))).toBe(true);
  });

  it('gives a stdio server only the whitelist, env_vars and env, in its cwd', async () => {
    const result = await manager.callTool('env', 'env', {});
    const seen = JSON.parse((result.content[0] as { text: string }).text);
    expect(seen.cwd).toBe(serverCwd);
    expect(seen.env.LITERAL).toBe('yes');
    expect(seen.env.CONDUIT_TEST_PASSED).toBe('named-in-env-vars');
    expect(seen.env.CONDUIT_TEST_SECRET).toBeUndefined();
    expect(seen.env.PATH).toBe(process.env.PATH);
    const allowed = new Set([
      'HOME',
      'LOGNAME',
      'PATH',
      'SHELL',
      'USER',
      'LANG',
      'LC_ALL',
      'TERM',
      'TMPDIR',
      'TZ',
    ]);
    const extra = Object.keys(seen.env).filter(
      (k) => !allowed.has(k) && !['LITERAL', 'CONDUIT_TEST_PASSED'].includes(k),
    );
    // Node itself may add nothing; anything else came from us.
    expect(extra).toEqual([]);
  });
});

describe('calls that go wrong', () => {
  const handlers = () => new Map(createMcpToolHandlers(manager).map((h) => [h.name, h]));

  it('turns a call that never returns into a timeout error output', async () => {
    const { ctx, events } = await toolContext();
    const out = await handlers().get('tools__hang')!.handle(functionCall('tools__hang', {}), ctx());
    expect(out.success).toBe(false);
    expect(out.output).toBe(
      "err: tool 'hang' on MCP server 'tools' timed out after 1 s without progress (tool_timeout_sec in [mcp_servers.tools])",
    );
    expect(events.map((e) => e.type)).toEqual(['mcp_tool_call_begin', 'mcp_tool_call_end']);
    expect(events[1]).toMatchObject({ result: { err: expect.stringContaining('timed out') } });
  });

  it('ends an interrupted call at once and tells the server it was cancelled', async () => {
    const controller = new AbortController();
    const { ctx } = await toolContext(controller.signal);
    const pending = handlers().get('tools__hang')!.handle(functionCall('tools__hang', {}), ctx());
    const started = () => logs.filter((l) => l.message.startsWith('hang: started')).length;
    const before = started();
    await vi.waitFor(() => expect(started()).toBe(before + 1), { timeout: 10_000 });
    controller.abort();
    const out = await pending;
    expect(out).toEqual({ output: "err: tool 'hang' on MCP server 'tools' was interrupted", success: false });
    await vi.waitFor(
      () =>
        expect(
          logs.some((l) => l.server === 'tools' && l.message.startsWith('hang: cancelled request')),
        ).toBe(true),
      {
        timeout: 10_000,
      },
    );
  });

  it('returns isError results as failed output, and refuses a disabled tool even by its real name', async () => {
    expect(manager.listTools().some((t) => t.qualifiedName === 'tools__fail')).toBe(false);
    await expect(manager.callTool('tools', 'fail', {})).rejects.toThrow(
      'disabled by enabled_tools/disabled_tools',
    );
  });

  it('gives invalid JSON arguments back to the model as an error, without events', async () => {
    const { ctx, events } = await toolContext();
    const out = await handlers()
      .get('tools__echo_args')!
      .handle(functionCall('tools__echo_args', '{"a": '), ctx());
    expect(out.success).toBe(false);
    expect(out.output).toMatch(/^err: failed to parse function arguments for tools__echo_args/);
    expect(events).toEqual([]);
    const array = await handlers()
      .get('tools__echo_args')!
      .handle(functionCall('tools__echo_args', '[1]'), ctx());
    expect(array.output).toContain('expected a JSON object');
    const blank = await handlers()
      .get('tools__echo_args')!
      .handle(functionCall('tools__echo_args', ''), ctx());
    expect(blank).toEqual({ output: 'null', success: true });
  });

  it('reports a server that dies mid-call, and every later call to it, as errors', async () => {
    await expect(manager.callTool('tools', 'die', {})).rejects.toThrow(
      /MCP server 'tools' stopped during tool 'die' \(it exited with code 7; last stderr line: die: exiting mid-call\)/,
    );
    await expect(manager.callTool('tools', 'echo_args', {})).rejects.toThrow(
      /MCP server 'tools' is not running/,
    );
    // The other servers are unaffected.
    expect((await manager.callTool('banner', 'ping', {})).content).toEqual([{ type: 'text', text: 'pong' }]);
  });
});

describe('shutdown', () => {
  it('kills every server process on close', async () => {
    const local = new McpConnectionManager({ cwd: process.cwd() });
    await local.start([stdioServer('env', [fixture('print-env.mjs')])]);
    const { pid } = JSON.parse(
      ((await local.callTool('env', 'env', {})).content[0] as { text: string }).text,
    );
    expect(isAlive(pid)).toBe(true);
    await local.close();
    expect(isAlive(pid)).toBe(false);
    await expect(local.callTool('env', 'env', {})).rejects.toThrow("no running MCP server named 'env'");
  });
});
