// Against the reference server-everything over stdio: the call paths a model uses, progress that keeps a
// long call alive past its timeout, elicitation, roots, logging and resources.

import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { McpConnectionManager } from '../../src/mcp/manager.js';
import type { ElicitationRequest, McpLogEntry } from '../../src/mcp/types.js';
import { createMcpToolHandlers } from '../../src/tools/handlers/mcp.js';
import type { ToolHandler } from '../../src/tools/types.js';
import { functionCall, tempDir, toolContext } from './context.js';
import { SERVERS, stdioServer } from './helpers.js';

const cwd = tempDir('conduit-mcp-roots-');
const logs: McpLogEntry[] = [];
const elicitations: ElicitationRequest[] = [];
let answer: ElicitResult = { action: 'decline' };
const manager = new McpConnectionManager({
  cwd,
  onLog: (entry) => logs.push(entry),
  onElicitation: async (request) => {
    elicitations.push(request);
    return answer;
  },
});
let handlers: Map<string, ToolHandler>;

beforeAll(async () => {
  const report = await manager.start([
    stdioServer('everything', [SERVERS.everything, 'stdio']),
    // A second instance with a 2.5 s call timeout, for the long-running operation.
    stdioServer('slow', [SERVERS.everything, 'stdio'], {
      toolTimeoutSec: 2.5,
      enabledTools: ['trigger-long-running-operation'],
    }),
  ]);
  expect(report.errors).toEqual([]);
  handlers = new Map(createMcpToolHandlers(manager).map((h) => [h.name, h]));
});

afterAll(() => manager.close());

async function run(name: string, args: unknown) {
  const { ctx, events } = await toolContext();
  const handler = handlers.get(name);
  if (!handler) throw new Error(`no handler ${name}; have ${[...handlers.keys()].join(', ')}`);
  const out = await handler.handle(functionCall(name, args), ctx());
  return { ...out, events };
}

describe('server-everything over stdio', () => {
  it('offers its tools under qualified names, sorted, with their schemas kept', () => {
    const names = manager.listTools().map((t) => t.qualifiedName);
    expect(names).toContain('everything__echo');
    expect(names).toContain('everything__get-sum');
    expect(names).toEqual([...names].sort());
    expect(names.filter((n) => n.startsWith('slow__'))).toEqual(['slow__trigger-long-running-operation']);
    const structured = manager
      .listTools()
      .find((t) => t.qualifiedName === 'everything__get-structured-content')!;
    expect(structured.parameters).toMatchObject({
      type: 'object',
      properties: { location: { type: 'string', enum: ['New York', 'Chicago', 'Los Angeles'] } },
    });
    const [first, second, third] = [...handlers.keys()];
    expect([first, second, third]).toEqual([
      'list_mcp_resources',
      'list_mcp_resource_templates',
      'read_mcp_resource',
    ]);
  });

  it('forwards echo and reports begin/end events with arguments, result and duration', async () => {
    const out = await run('everything__echo', { message: 'hello mcp' });
    expect(out).toMatchObject({ output: 'Echo: hello mcp', success: true });
    expect(out.events).toHaveLength(2);
    const [begin, end] = out.events;
    const invocation = { server: 'everything', tool: 'echo', arguments: { message: 'hello mcp' } };
    expect(begin).toEqual({ type: 'mcp_tool_call_begin', call_id: 'call_x', invocation });
    expect(end).toMatchObject({
      type: 'mcp_tool_call_end',
      call_id: 'call_x',
      invocation,
      result: { ok: { content: [{ type: 'text', text: 'Echo: hello mcp' }] } },
    });
    expect(end.type === 'mcp_tool_call_end' && end.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('adds numbers with get-sum', async () => {
    expect((await run('everything__get-sum', { a: 19, b: 23 })).output).toBe('The sum of 19 and 23 is 42.');
  });

  it('returns structuredContent as JSON text', async () => {
    const out = await run('everything__get-structured-content', { location: 'Chicago' });
    expect(JSON.parse(out.output as string)).toEqual({
      temperature: 36,
      conditions: 'Light rain / drizzle',
      humidity: 82,
    });
  });

  it('returns an image as an input_image part', async () => {
    const out = await run('everything__get-tiny-image', {});
    expect(Array.isArray(out.output)).toBe(true);
    const parts = out.output as { type: string; image_url?: string }[];
    expect(
      parts.some((p) => p.type === 'input_image' && p.image_url?.startsWith('data:image/png;base64,')),
    ).toBe(true);
    expect(parts.some((p) => p.type === 'input_text')).toBe(true);
  });

  it('keeps a long call alive while the server reports progress, past the 2.5 s tool timeout', async () => {
    const progress: number[] = [];
    const result = await manager.callTool(
      'slow',
      'trigger-long-running-operation',
      { duration: 5, steps: 10 },
      { onProgress: (p) => progress.push(p.progress) },
    );
    expect(result.content).toEqual([
      { type: 'text', text: 'Long running operation completed. Duration: 5 seconds, Steps: 10.' },
    ]);
    // The last notification can race the response; the ones before it are what kept the call alive.
    expect(progress.slice(0, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('passes elicitation requests to the session and returns its answer to the server', async () => {
    answer = { action: 'accept', content: { name: 'Ada Lovelace', check: true } };
    const accepted = await run('everything__trigger-elicitation-request', {});
    expect(accepted.output).toContain('Ada Lovelace');
    expect(elicitations[0]).toMatchObject({ server: 'everything', params: { message: expect.any(String) } });
    answer = { action: 'decline' };
    expect((await run('everything__trigger-elicitation-request', {})).output).toContain('declined');
  });

  it('answers roots/list with the session cwd and receives server log messages', async () => {
    const out = await run('everything__get-roots-list', {});
    expect(out.output).toContain(`file://${cwd}`);
    await vi.waitFor(
      () => expect(logs.some((l) => l.server === 'everything' && l.level === 'info')).toBe(true),
      {
        timeout: 10_000,
      },
    );
    expect(logs.some((l) => l.level === 'stderr')).toBe(true);
  });

  it('lists, pages and reads resources and templates', async () => {
    const all = JSON.parse((await run('list_mcp_resources', {})).output as string);
    expect(all.resources.length).toBeGreaterThan(0);
    expect(all.resources.every((r: { server: string }) => ['everything', 'slow'].includes(r.server))).toBe(
      true,
    );
    const one = JSON.parse((await run('list_mcp_resources', { server: 'everything' })).output as string);
    expect(one.server).toBe('everything');
    const first = one.resources[0];
    const read = JSON.parse(
      (await run('read_mcp_resource', { server: 'everything', uri: first.uri })).output as string,
    );
    expect(read).toMatchObject({ server: 'everything', uri: first.uri, contents: [{ uri: first.uri }] });
    const templates = JSON.parse(
      (await run('list_mcp_resource_templates', { server: 'everything' })).output as string,
    );
    expect(templates.resourceTemplates.length).toBeGreaterThan(0);
  });

  it('explains bad resource arguments to the model instead of failing', async () => {
    const { ctx } = await toolContext();
    const read = handlers.get('read_mcp_resource')!;
    await expect(
      read.handle(functionCall('read_mcp_resource', { server: 'nope', uri: 'x' }), ctx()),
    ).rejects.toThrow("no running MCP server named 'nope' (running: everything, slow)");
    const list = handlers.get('list_mcp_resources')!;
    await expect(list.handle(functionCall('list_mcp_resources', { cursor: 'abc' }), ctx())).rejects.toThrow(
      'a cursor belongs to one server',
    );
  });
});
