// Shared wiring for the mcp-server tests: a temp CONDUIT_HOME pointed at the fake model, the real
// `conduit mcp-server` spawned over stdio, and an SDK Client that records every `codex/event`.

import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { RecordedRequest } from '../../fake-model/server.js';

export const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'conduit.js');

export interface Home {
  home: string;
  cwd: string;
}

/** A Conduit home whose config uses the fake model over the Responses wire, and a work directory. */
export function makeHome(fakeUrl: string, extraToml = ''): Home {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'conduit-mcp-')));
  const home = join(root, 'home');
  const cwd = join(root, 'work');
  mkdirSync(home);
  mkdirSync(cwd);
  writeFileSync(
    join(home, 'config.toml'),
    `model = "fake-model"\nmodel_provider = "fake"\n\n[model_providers.fake]\nname = "Fake"\nbase_url = "${fakeUrl}"\nwire_api = "responses"\nrequest_max_retries = 0\nstream_max_retries = 0\n${extraToml}`,
  );
  return { home, cwd };
}

export const CodexEventSchema = z.object({
  method: z.literal('codex/event'),
  params: z.looseObject({
    id: z.string(),
    msg: z.looseObject({ type: z.string() }),
    _meta: z.looseObject({ requestId: z.union([z.string(), z.number()]), threadId: z.string() }),
  }),
});
export type CodexEvent = z.infer<typeof CodexEventSchema>['params'];

export type ElicitHandler = (request: ElicitRequest) => Promise<ElicitResult>;

export interface Connected {
  client: Client;
  events: CodexEvent[];
  /** Every message the server sent after the handshake, in wire order. */
  wire: JSONRPCMessage[];
  /** Raw params of every elicitation/create the server sent. */
  elicitations: Record<string, unknown>[];
  stderr: () => string;
  close(): Promise<void>;
}

/** Spawns `conduit mcp-server` in `home.cwd` and connects; `elicit: undefined` declares no elicitation. */
export async function connect(
  home: Home,
  options: { elicit?: ElicitHandler; args?: string[] } = {},
): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp-server', ...(options.args ?? [])],
    cwd: home.cwd,
    env: { ...(process.env as Record<string, string>), CONDUIT_HOME: home.home },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client(
    { name: 'conduit-test', version: '1.0.0' },
    { capabilities: options.elicit ? { elicitation: {} } : {} },
  );
  const events: CodexEvent[] = [];
  const elicitations: Record<string, unknown>[] = [];
  const wire: JSONRPCMessage[] = [];
  client.setNotificationHandler(CodexEventSchema, (n) => {
    events.push(n.params);
  });
  if (options.elicit) client.setRequestHandler(ElicitRequestSchema, options.elicit);
  await client.connect(transport);
  // The SDK strips fields its schema does not know (codex_*) before handlers see a request, and drops
  // progress it reads with the response: record the wire.
  const deliver = transport.onmessage!;
  transport.onmessage = (message: JSONRPCMessage) => {
    wire.push(message);
    if ('method' in message && message.method === 'elicitation/create') {
      elicitations.push(message.params as Record<string, unknown>);
    }
    deliver(message);
  };
  return { client, events, wire, elicitations, stderr: () => stderr, close: () => client.close() };
}

interface ResponsesBody {
  input?: {
    type?: string;
    role?: string;
    content?: { type?: string; text?: string }[];
    output?: unknown;
    call_id?: string;
  }[];
}

/** The text of the last user message of a Responses request (the prompt of the running turn). */
export function lastUserText(request: RecordedRequest): string {
  const input = (request.body as ResponsesBody).input ?? [];
  const user = input.filter((item) => item.type === 'message' && item.role === 'user').at(-1);
  return (user?.content ?? []).map((part) => part.text ?? '').join('');
}

/** Every user-message text of the request, in order (to see that a reply carries the earlier history). */
export function userTexts(request: RecordedRequest): string[] {
  const input = (request.body as ResponsesBody).input ?? [];
  return input
    .filter((item) => item.type === 'message' && item.role === 'user')
    .map((item) => (item.content ?? []).map((part) => part.text ?? '').join(''));
}

/** Outputs of tool calls in the request since the last user message (what the model was told this turn). */
export function toolOutputsThisTurn(request: RecordedRequest): string[] {
  const input = (request.body as ResponsesBody).input ?? [];
  const isUser = (item: (typeof input)[number]) => item.type === 'message' && item.role === 'user';
  const lastUser = input.length - 1 - [...input].reverse().findIndex(isUser);
  return input
    .slice(input.some(isUser) ? lastUser + 1 : 0)
    .filter((item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output')
    .map((item) => (typeof item.output === 'string' ? item.output : JSON.stringify(item.output)));
}

export function textOf(result: unknown): string {
  const content = ((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[];
  return content.map((part) => part.text ?? '').join('');
}
