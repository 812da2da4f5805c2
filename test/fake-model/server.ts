// A scriptable fake model server for tests and benches: real HTTP + SSE on 127.0.0.1, both wires.
//
//   const fake = await startFakeModelServer({ wires: ['chat'] });      // options: see FakeModelServerOptions
//   fake.enqueue({ steps: [{ type: 'text', text: 'hi' }, { type: 'usage', input: 5, output: 1 }] });
//   fake.enqueue({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } });
//   // point a provider at fake.url (the base_url, ending in /v1), run the code under test, then:
//   fake.requests[0].body / .headers / .query / .path;  await fake.close();
//
// Endpoints: POST <any prefix>/responses, POST <any prefix>/chat/completions, GET <any prefix>/models
// (so an Azure-style base_url such as `${origin}/openai` works too). Each POST takes the next queued
// FakeResponse, or asks the handler given to setHandler (which wins over the queue; use it for
// concurrent or request-dependent answers). A FakeResponse is either a stream of steps (text, reasoning,
// tool calls, usage, and faults: keep-alives, stalls, cuts, malformed events, failures; see types.ts) or a
// plain HTTP answer ({ status, body, headers }). Every request, answered or not, is recorded in `requests`.
// Like real servers, it answers HTTP 400 to a history with a tool call but no output for it (strict.ts),
// before consuming any queued answer.
//
// Out of process (e.g. for a spawned `conduit` that cannot share the test's event loop, or a bench):
// `npx vite-node test/fake-model/cli.ts -- --script answers.json` (see cli.ts).

import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Action } from './actions.js';
import { renderChat } from './render-chat.js';
import { renderResponses } from './render-responses.js';
import { unansweredCall, unansweredCallError } from './strict.js';
import type {
  FakeHandler,
  FakeHttpResponse,
  FakeModelServerOptions,
  FakeResponse,
  FakeStreamResponse,
  RecordedRequest,
} from './types.js';

export type * from './types.js';

export interface FakeModelServer {
  /** The base_url to configure: `http://127.0.0.1:<port>/v1`. */
  url: string;
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Queues answers for the next POSTs, in order. */
  enqueue(...responses: FakeResponse[]): void;
  /** Answers every POST with `handler` (ahead of the queue) until called with undefined. */
  setHandler(handler: FakeHandler | undefined): void;
  close(): Promise<void>;
}

export async function startFakeModelServer(options: FakeModelServerOptions = {}): Promise<FakeModelServer> {
  const wires = new Set(options.wires ?? ['responses', 'chat']);
  const models = options.models === undefined ? ['fake-model'] : options.models;
  const queue: FakeResponse[] = [];
  const requests: RecordedRequest[] = [];
  let handler: FakeHandler | undefined;
  let responseCounter = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendHttp(res, { status: 500, body: { error: { message: String(err) } } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const recorded = await record(req);
    requests.push(recorded);
    if (recorded.wire === 'models' && req.method === 'GET') {
      if (models === null) return sendHttp(res, { status: 404, body: { error: { message: 'Not Found' } } });
      const data = models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' }));
      return sendHttp(res, { status: 200, body: { object: 'list', data } });
    }
    if ((recorded.wire !== 'responses' && recorded.wire !== 'chat') || !wires.has(recorded.wire)) {
      return sendHttp(res, { status: 404, body: { error: { message: `Not Found: ${recorded.path}` } } });
    }
    const body = (recorded.body ?? {}) as { stream_options?: { include_usage?: boolean } };
    if (
      recorded.wire === 'chat' &&
      body.stream_options !== undefined &&
      options.chatStreamOptions === 'reject'
    ) {
      return sendHttp(res, {
        status: 400,
        body: {
          error: {
            message: 'Unrecognized request argument supplied: stream_options',
            type: 'invalid_request_error',
          },
        },
      });
    }
    const unanswered = unansweredCall(recorded.wire, recorded.body);
    if (unanswered !== undefined) return sendHttp(res, unansweredCallError(unanswered));
    const answer = handler ? await handler(recorded) : (queue.shift() ?? emptyAnswer(recorded));
    if (!('steps' in answer)) return sendHttp(res, answer);
    const id = answer.id ?? `resp_${++responseCounter}`;
    const usageRequested =
      body.stream_options?.include_usage === true && options.chatStreamOptions !== 'ignore';
    const actions =
      recorded.wire === 'chat' ? renderChat(answer, id, usageRequested) : renderResponses(answer, id);
    await play(res, answer, actions);
  }

  function emptyAnswer(request: RecordedRequest): FakeResponse {
    if (options.onEmpty === 'auto') return autoReply(request);
    return { status: 500, body: { error: { message: 'fake model: no scripted response left' } } };
  }

  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    enqueue: (...responses) => queue.push(...responses),
    setHandler: (h) => {
      handler = h;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * A generic answer for probes and smoke tests: if the request offers function tools and its input does
 * not end with a tool output, call the first tool with `{}`; otherwise say "ok". Usage is always included.
 */
export function autoReply(request: RecordedRequest): FakeStreamResponse {
  const body = (request.body ?? {}) as {
    tools?: unknown[];
    input?: { type?: string }[];
    messages?: { role?: string }[];
  };
  const toolName = firstFunctionToolName(body.tools);
  const last = request.wire === 'chat' ? body.messages?.at(-1)?.role : body.input?.at(-1)?.type;
  const answeredTool =
    last === 'tool' || last === 'function_call_output' || last === 'custom_tool_call_output';
  const usage = { type: 'usage', input: 10, output: 2 } as const;
  if (toolName && !answeredTool)
    return { steps: [{ type: 'tool_call', name: toolName, arguments: {} }, usage] };
  return { steps: [{ type: 'text', text: 'ok' }, usage] };
}

function firstFunctionToolName(tools: unknown[] | undefined): string | undefined {
  for (const tool of tools ?? []) {
    const t = tool as { type?: string; name?: string; function?: { name?: string } };
    if (t.type === 'function') return t.function?.name ?? t.name;
  }
  return undefined;
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = rawBody ? JSON.parse(rawBody) : undefined;
  } catch {
    body = undefined;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const path = url.pathname;
  const wire = path.endsWith('/responses')
    ? 'responses'
    : path.endsWith('/chat/completions')
      ? 'chat'
      : path.endsWith('/models')
        ? 'models'
        : 'other';
  return {
    method: req.method ?? 'GET',
    path,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    rawBody,
    wire,
  };
}

function sendHttp(res: ServerResponse, answer: FakeHttpResponse): void {
  const isText = typeof answer.body === 'string';
  const payload =
    answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': isText ? 'text/plain' : 'application/json',
    ...answer.headers,
  });
  res.end(payload);
}

/** Plays rendered actions, batching consecutive writes so large scripts (benches) stream fast. */
async function play(res: ServerResponse, script: FakeStreamResponse, actions: Action[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...script.headers });
  res.flushHeaders();
  const closed = new AbortController();
  res.on('close', () => closed.abort());
  let pending = '';
  const flush = async () => {
    if (!pending) return;
    const ok = res.write(pending);
    pending = '';
    if (!ok && !closed.signal.aborted)
      await once(res, 'drain', { signal: closed.signal }).catch(() => undefined);
  };
  // Before a cut, what was written must reach the client (destroy() discards unsent data).
  const flushed = () => new Promise<void>((resolve) => res.write('', () => resolve()));
  for (const action of actions) {
    if (closed.signal.aborted) return;
    if (action.kind === 'write') {
      pending += action.text;
      if (pending.length >= 64 * 1024) await flush();
    } else if (action.kind === 'stall') {
      await flush();
      await sleep(action.ms, undefined, { signal: closed.signal }).catch(() => undefined);
    } else {
      await flush();
      await flushed();
      res.socket?.destroy();
      return;
    }
  }
  await flush();
  res.end();
}
