// Runs the tool calls of one model response. A call never crashes the turn: unknown tools, bad arguments
// and handler failures become tool output the model can read and react to. Only an interrupt (or an
// `abort` review decision) ends the turn, by rethrowing.

import { TurnAbortedError } from './approval/errors.js';
import type { ToolRegistry } from './registry.js';
import type { ToolCall, ToolContext, ToolOutput } from './types.js';

/** Thrown by handlers whose arguments do not match their schema; the message is shown to the model. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}

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

/** Parses a function call's JSON arguments, naming the tool when they are not a JSON object. */
export function parseJsonArguments(call: ToolCall): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(call.input || '{}');
  } catch (err) {
    throw new ToolInputError(
      `failed to parse function arguments for ${call.name}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ToolInputError(`failed to parse function arguments for ${call.name}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}
