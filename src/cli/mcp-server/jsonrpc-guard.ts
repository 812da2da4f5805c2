// JSON-RPC 2.0 hygiene in front of the SDK, shared by the stdio and HTTP transports, so that every request
// gets exactly one answer. The SDK's transports drop what fails their schema without a word (a request with
// `params: "x"` or `jsonrpc: "1.0"` was never answered), answer its own schema failures with -32603 and a
// zod dump, and prefix error messages that already carry "MCP error N:" a second time. Pure functions; the
// transports call them on every message in and out.

import {
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

/** Larger messages are refused (stdio: per line; HTTP: per body) and the server carries on. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

type ErrorMessage = Extract<JSONRPCMessage, { error: unknown }>;

/** What to do with one incoming JSON value. */
export type Checked =
  /** Hand it to the SDK. */
  | { message: JSONRPCMessage }
  /** Answer it directly (one error, or one per request of a batch); nothing reaches the SDK. */
  | { reply: ErrorMessage | ErrorMessage[] }
  /** Nothing to answer and nothing to deliver (an unusable notification or response without an id). */
  | { drop: string };

export function errorReply(id: RequestId | null, code: number, message: string): ErrorMessage {
  // `id: null` is what JSON-RPC prescribes when the id could not be read; the SDK's type has no null.
  return { jsonrpc: '2.0', id: id as RequestId, error: { code, message } };
}

function validId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses one stdio line (or HTTP body); malformed JSON is answered with -32700. */
export function parseIncoming(text: string): { value: unknown } | { reply: ErrorMessage } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { reply: errorReply(null, PARSE_ERROR, `Parse error: ${(err as Error).message}`) };
  }
}

/** Method-specific checks the SDK would otherwise answer with a zod dump. */
function paramsProblem(method: string, params: Record<string, unknown> | undefined): string | undefined {
  if (method !== 'tools/call') return undefined;
  if (typeof params?.name !== 'string') return 'tools/call: "name" must be a string';
  const args = params.arguments;
  if (args !== undefined && !isPlainObject(args)) {
    return `tools/call ${params.name}: "arguments" must be an object, not ${kind(args)}`;
  }
  return undefined;
}

function checkOne(value: unknown): Checked {
  if (!isPlainObject(value))
    return {
      reply: errorReply(
        null,
        INVALID_REQUEST,
        `Invalid Request: a message must be a JSON object, not ${kind(value)}`,
      ),
    };
  const id = validId(value.id) ? value.id : null;
  const isResponse = !('method' in value) && ('result' in value || 'error' in value);
  if (isResponse) {
    if (JSONRPCMessageSchema.safeParse(value).success) return { message: value as JSONRPCMessage };
    // An unreadable answer to one of our requests (an elicitation): turn it into an error for that
    // request now, rather than leaving it to time out.
    if (id === null) return { drop: 'a response without a valid id' };
    return { message: errorReply(id, INVALID_REQUEST, 'the client sent an invalid response') };
  }
  // A malformed message is answered (with its id, or null); a well-formed notification with bad params has
  // nobody to answer.
  const answer = (code: number, message: string): Checked =>
    'id' in value || code === INVALID_REQUEST ? { reply: errorReply(id, code, message) } : { drop: message };
  if (value.jsonrpc !== '2.0') return answer(INVALID_REQUEST, `Invalid Request: "jsonrpc" must be "2.0"`);
  if (typeof value.method !== 'string')
    return answer(INVALID_REQUEST, 'Invalid Request: "method" must be a string');
  if ('id' in value && id === null) {
    return {
      reply: errorReply(null, INVALID_REQUEST, 'Invalid Request: "id" must be a string or an integer'),
    };
  }
  if (value.params !== undefined && !isPlainObject(value.params)) {
    return answer(
      INVALID_PARAMS,
      `Invalid params: "params" of ${value.method} must be an object, not ${kind(value.params)}`,
    );
  }
  const problem = paramsProblem(value.method, value.params as Record<string, unknown> | undefined);
  if (problem) return answer(INVALID_PARAMS, `Invalid params: ${problem}`);
  if (!JSONRPCMessageSchema.safeParse(value).success) return answer(INVALID_REQUEST, 'Invalid Request');
  return { message: value as JSONRPCMessage };
}

/**
 * Checks one parsed message. A batch (JSON array) is refused: MCP 2025-06-18 dropped JSON-RPC batching,
 * and answering it the same way on both transports matters more than supporting it on one. Each request
 * in it gets its own error, so no id goes unanswered.
 */
export function checkIncoming(value: unknown): Checked {
  if (!Array.isArray(value)) return checkOne(value);
  const message = 'Invalid Request: batches are not supported; send each JSON-RPC message on its own';
  const ids = value
    .filter((m) => isPlainObject(m) && 'method' in m && validId(m.id))
    .map((m) => m.id as RequestId);
  if (ids.length === 0) return { reply: errorReply(null, INVALID_REQUEST, message) };
  return { reply: ids.map((id) => errorReply(id, INVALID_REQUEST, message)) };
}

/**
 * The answer to a message too large to read: -32600, with the request's id when it shows near the start
 * (`{"jsonrpc":"2.0","id":7,…` as clients write it), so the request is not left unanswered.
 */
export function oversizeReply(head: string, limit = MAX_MESSAGE_BYTES): ErrorMessage {
  const match =
    /^\s*\{(?:\s*"(?:jsonrpc|method)"\s*:\s*"[^"]*"\s*,)*\s*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(head);
  let id: RequestId | null = null;
  if (match) id = match[1].startsWith('"') ? (JSON.parse(match[1]) as string) : Number(match[1]);
  return errorReply(id, INVALID_REQUEST, `Invalid Request: message larger than ${limit} bytes`);
}

const MCP_PREFIX = /^(?:MCP error -?\d+: )+/;

/** A zod issue list serialised as an error message, shortened to `path: message; …`. */
function shortIssues(message: string): string | undefined {
  const start = message.indexOf('[');
  if (start < 0) return undefined;
  try {
    const issues = JSON.parse(message.slice(start)) as { path?: unknown[]; message?: string }[];
    if (!Array.isArray(issues) || !issues.every((i) => typeof i.message === 'string')) return undefined;
    const text = issues.map((i) => `${(i.path ?? []).join('.') || '(root)'}: ${i.message}`).join('; ');
    return `${message.slice(0, start)}${text}`;
  } catch {
    return undefined;
  }
}

/** Outgoing errors: one "MCP error N:" prefix at most (the client adds its own), and no zod dumps. */
export function cleanOutgoing(message: JSONRPCMessage): JSONRPCMessage {
  if (!('error' in message)) return message;
  const stripped = message.error.message.replace(MCP_PREFIX, '');
  const short = shortIssues(stripped);
  const code =
    short !== undefined && message.error.code === INTERNAL_ERROR ? INVALID_PARAMS : message.error.code;
  const text =
    short === undefined ? stripped : short.startsWith('Invalid') ? short : `Invalid params: ${short}`;
  if (text === message.error.message && code === message.error.code) return message;
  return { ...message, error: { ...message.error, code, message: text } };
}
