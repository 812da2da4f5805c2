import { describe, expect, it } from 'vitest';
import type { ToolEvent } from '../../src/protocol/tool-events.js';
import { createPlanToolHandler } from '../../src/tools/handlers/plan.js';
import { orderTools, ToolRegistry } from '../../src/tools/registry.js';
import { dispatchToolCall, runToolCalls } from '../../src/tools/router.js';
import type { ToolCall, ToolContext, ToolHandler } from '../../src/tools/types.js';
import { fakeConfig } from './helpers.js';

function handler(name: string, parallelSafe = false, run?: (call: ToolCall) => Promise<string>): ToolHandler {
  return {
    name,
    parallelSafe,
    spec: {
      type: 'function',
      name,
      description: name,
      strict: false,
      parameters: { type: 'object', properties: {} },
    },
    handle: async (call) => ({ output: run ? await run(call) : `${name} ran`, success: true }),
  };
}

async function context(
  events: ToolEvent[] = [],
  signal = new AbortController().signal,
): Promise<ToolContext> {
  const config = await fakeConfig('http://127.0.0.1:9/v1');
  return {
    callId: 'c1',
    turnId: '1',
    cwd: config.cwd,
    approvalPolicy: 'never',
    sandboxPolicy: config.sandboxPolicy,
    shellEnvironmentPolicy: config.shellEnvironmentPolicy,
    signal,
    emit: (event) => events.push(event),
    requestApproval: async () => 'denied',
  };
}

const call = (name: string, input = '{}', callId = name): ToolCall => ({
  callId,
  name,
  kind: 'function',
  input,
});

describe('tool registry', () => {
  it('orders shell, resource tools, plan, apply_patch, others, web_search, view_image, then MCP tools by name', () => {
    const names = orderTools(
      [
        'mcp__zeta__x',
        'view_image',
        'custom_tool',
        'apply_patch',
        'mcp__alpha__y',
        'update_plan',
        'read_mcp_resource',
        'shell',
      ].map((n) => handler(n)),
    ).map((h) => h.name);
    expect(names).toEqual([
      'shell',
      'read_mcp_resource',
      'update_plan',
      'apply_patch',
      'custom_tool',
      'view_image',
      'mcp__alpha__y',
      'mcp__zeta__x',
    ]);
  });

  it('routes shell aliases to the shell tool and refuses duplicate names', () => {
    const registry = new ToolRegistry([handler('shell')]);
    expect(registry.get('container.exec')?.name).toBe('shell');
    expect(registry.get('local_shell')?.name).toBe('shell');
    expect(registry.get('nope')).toBeUndefined();
    expect(() => new ToolRegistry([handler('a'), handler('a')])).toThrow('two tools are both named "a"');
  });
});

describe('tool router', () => {
  it('answers an unknown tool with "unsupported call" instead of failing', async () => {
    const out = await dispatchToolCall(new ToolRegistry([]), call('frobnicate'), await context());
    expect(out).toEqual({ output: 'unsupported call: frobnicate', success: false });
  });

  it('turns a handler failure into tool output naming the tool', async () => {
    const registry = new ToolRegistry([
      handler('boom', false, async () => {
        throw new Error('disk on fire');
      }),
    ]);
    const out = await dispatchToolCall(registry, call('boom'), await context());
    expect(out).toEqual({ output: 'tool boom failed: disk on fire', success: false });
  });

  it('runs consecutive parallel-safe calls together and exclusive calls alone, keeping call order', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const registry = new ToolRegistry([
      // `a` waits until `b` has started: only possible if both run at the same time.
      handler('a', true, async () => {
        log.push('a start');
        await gate;
        log.push('a end');
        return 'A';
      }),
      handler('b', true, async () => {
        log.push('b start');
        release();
        return 'B';
      }),
      handler('x', false, async () => {
        log.push('x');
        return 'X';
      }),
    ]);
    const ctx = await context();
    const outputs = await runToolCalls(registry, [call('a'), call('b'), call('x')], () => ctx);
    expect(outputs.map((o) => o.output)).toEqual(['A', 'B', 'X']);
    expect(log).toEqual(['a start', 'b start', 'a end', 'x']);
  });
});

describe('update_plan', () => {
  it('emits a plan_update and acknowledges', async () => {
    const events: ToolEvent[] = [];
    const plan = [
      { step: 'read the code', status: 'completed' },
      { step: 'fix it', status: 'in_progress' },
    ];
    const out = await createPlanToolHandler().handle(
      call('update_plan', JSON.stringify({ explanation: 'why', plan })),
      await context(events),
    );
    expect(out).toEqual({ output: 'Plan updated', success: true });
    expect(events).toEqual([{ type: 'plan_update', explanation: 'why', plan }]);
  });

  it('tells the model what is wrong with malformed or invalid arguments', async () => {
    const registry = new ToolRegistry([createPlanToolHandler()]);
    const ctx = await context();
    const broken = await dispatchToolCall(registry, call('update_plan', '{"plan": ['), ctx);
    expect(broken.success).toBe(false);
    expect(broken.output).toMatch(/^failed to parse function arguments for update_plan: /);
    const invalid = await dispatchToolCall(
      registry,
      call('update_plan', JSON.stringify({ plan: [{ step: 'x', status: 'done' }] })),
      ctx,
    );
    expect(invalid.output).toMatch(/^invalid update_plan arguments at plan\.0\.status: /);
  });
});
