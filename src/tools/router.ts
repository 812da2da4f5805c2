// Runs the tool calls of one model response. A call never crashes the turn: unknown tools, bad arguments
// and handler failures become tool output the model can read and react to. Only an interrupt (or an
// `abort` review decision) ends the turn, by rethrowing.

import { TurnAbortedError } from './approval/errors.js';
import { ToolInputError } from './arguments.js';
import type { ToolRegistry } from './registry.js';
import type { ToolCall, ToolContext, ToolOutput } from './types.js';

function isTurnAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || err instanceof TurnAbortedError;
}

export async function dispatchToolCall(
  registry: ToolRegistry,
  call: ToolCall,
  ctx: ToolContext,
): Promise<ToolOutput> {
  const handler = registry.get(call.name);
  if (!handler) return { output: `unsupported call: ${call.name}`, success: false };
  try {
    return await handler.handle(call, ctx);
  } catch (err) {
    if (isTurnAbort(err, ctx.signal)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ToolInputError) return { output: message, success: false };
    return { output: `tool ${call.name} failed: ${message}`, success: false };
  }
}

/**
 * Runs calls in order, except that consecutive parallel-safe calls run together; every other call runs
 * alone. Outputs come back in call order.
 */
export async function runToolCalls(
  registry: ToolRegistry,
  calls: readonly ToolCall[],
  contextFor: (call: ToolCall) => ToolContext,
  /** Called as each call finishes, so callers can record outputs before the whole batch is done. */
  onOutput?: (call: ToolCall, output: ToolOutput) => void,
): Promise<ToolOutput[]> {
  const outputs: ToolOutput[] = [];
  let i = 0;
  while (i < calls.length) {
    let end = i + 1;
    if (registry.get(calls[i].name)?.parallelSafe) {
      while (end < calls.length && registry.get(calls[end].name)?.parallelSafe) end++;
    }
    const batch = calls.slice(i, end);
    const run = async (call: ToolCall) => {
      const output = await dispatchToolCall(registry, call, contextFor(call));
      onOutput?.(call, output);
      return output;
    };
    outputs.push(...(await Promise.all(batch.map(run))));
    i = end;
  }
  return outputs;
}
