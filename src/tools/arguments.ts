// Reading a tool call's arguments: the JSON object a function call carries, and the error a handler throws
// when they do not fit its schema (the router shows its message to the model as the call's output).

import type { ToolCall } from './types.js';

/** Thrown by handlers whose arguments do not match their schema; the message is shown to the model. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
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
