// `conduit mcp-server --http HOST:PORT`: the MCP streamable HTTP transport on `/mcp`, one MCP session (and
// one SDK Server) per client, all sharing the process's threads. A bearer token is checked on every request
// when configured, and required before listening beyond loopback: a network-reachable agent that runs
// commands must not be open to anyone who can reach the port. On loopback without a token, Host checking
// stops DNS-rebinding pages from driving the agent through a browser. Every body goes through the same
// JSON-RPC checks as stdio (jsonrpc-guard.ts); a session with no open request for longer than the TTL is
// closed (clients that never send DELETE would otherwise keep their Server in memory for ever); a client
// that drops the stream of a running call cancels it, as a `notifications/cancelled` would.

import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { UserError } from '../../index.js';
import {
  checkIncoming,
  cleanOutgoing,
  MAX_MESSAGE_BYTES,
  oversizeReply,
  parseIncoming,
} from './jsonrpc-guard.js';

export const MCP_PATH = '/mcp';
export const DEFAULT_SESSION_TTL_MS = 5 * 60 * 1000;

export interface ListenAddress {
  host: string;
  port: number;
}

/** `HOST:PORT`, `[v6]:PORT` or `:PORT` (loopback). */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65535) {
    throw new UserError(`--http ${text}: expected HOST:PORT (e.g. 127.0.0.1:8765, [::1]:8765 or :8765)`);
  }
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time check of `Authorization: Bearer <token>` (hashing first makes the lengths equal). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  return timingSafeEqual(digest(presented), digest(token));
}

type Body = { message: JSONRPCMessage } | { status: number; reply?: unknown };

/** Reads and checks a POST body: the message to hand to the SDK, or the answer to send instead. */
async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
    if (size > MAX_MESSAGE_BYTES) {
      req.resume(); // discard the rest
      return { status: 413, reply: oversizeReply(Buffer.concat(chunks).subarray(0, 4096).toString('utf8')) };
    }
  }
  const parsed = parseIncoming(Buffer.concat(chunks).toString('utf8'));
  if ('reply' in parsed) return { status: 400, reply: parsed.reply };
  const checked = checkIncoming(parsed.value);
  if ('reply' in checked) return { status: 400, reply: checked.reply };
  if ('drop' in checked) return { status: 202 };
  return { message: checked.message };
}

function sendBody(res: ServerResponse, status: number, reply: unknown): void {
  if (reply === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(reply));
}

interface Session {
  transport: StreamableHTTPServerTransport;
  /** HTTP requests of this session still open (a running call's stream, the GET event stream). */
  open: number;
  lastActive: number;
}

function sendJsonError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

export interface HttpServeOptions {
  address: ListenAddress;
  token?: string;
  /** A fresh MCP Server for a new client session. */
  createMcpServer: () => Server;
  /** Idle time after which a session is closed; default DEFAULT_SESSION_TTL_MS. */
  sessionTtlMs?: number;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

/** A request carrying a call that a dropped connection should cancel. */
function requestId(message: JSONRPCMessage): string | number | undefined {
  return 'method' in message && 'id' in message ? message.id : undefined;
}

export async function serveHttp(options: HttpServeOptions): Promise<RunningHttpServer> {
  const { address, token } = options;
  if (!token && !isLoopback(address.host)) {
    throw new UserError(
      `--http ${address.host}:${address.port}: listening beyond loopback needs a bearer token; set one with --bearer-token-env-var NAME (and NAME=<token> in the environment), or listen on 127.0.0.1`,
    );
  }
  const sessions = new Map<string, Session>();
  const ttlMs = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  let allowedHosts: string[] | undefined;

  /** Counts the request as open until its response ends; a call whose client hung up first is cancelled. */
  function track(session: Session, res: ServerResponse, message: JSONRPCMessage | undefined): void {
    session.open++;
    session.lastActive = performance.now();
    const id = message && requestId(message);
    res.once('close', () => {
      session.open--;
      session.lastActive = performance.now();
      if (id === undefined || res.writableFinished) return;
      session.transport.onmessage?.({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: id, reason: 'the client disconnected' },
      });
    });
  }

  const sweeper = setInterval(
    () => {
      const now = performance.now();
      for (const session of sessions.values()) {
        if (session.open === 0 && now - session.lastActive > ttlMs) void session.transport.close();
      }
    },
    Math.max(100, Math.min(ttlMs, 60_000) / 2),
  );
  sweeper.unref();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (path !== MCP_PATH)
      return sendJsonError(res, 404, `not found: ${path} (the MCP endpoint is ${MCP_PATH})`);
    if (token && !bearerMatches(req.headers.authorization, token)) {
      return sendJsonError(res, 401, 'missing or wrong bearer token', { 'www-authenticate': 'Bearer' });
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return sendJsonError(res, 404, `unknown MCP session ${sessionId}; initialize again`);
      let message: JSONRPCMessage | undefined;
      if (req.method === 'POST') {
        const body = await readBody(req);
        if (!('message' in body)) return sendBody(res, body.status, body.reply);
        message = body.message;
      }
      track(session, res, message);
      return session.transport.handleRequest(req, res, message);
    }
    if (req.method !== 'POST') return sendJsonError(res, 400, 'no mcp-session-id header; initialize first');
    const body = await readBody(req);
    if (!('message' in body)) return sendBody(res, body.status, body.reply);
    if (!isInitializeRequest(body.message))
      return sendJsonError(res, 400, 'no mcp-session-id header; initialize first');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, open: 0, lastActive: performance.now() });
      },
      enableDnsRebindingProtection: allowedHosts !== undefined,
      allowedHosts,
    });
    const server = options.createMcpServer();
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void server.close();
    };
    await server.connect(transport);
    const send = transport.send.bind(transport);
    transport.send = (message, sendOptions) => send(cleanOutgoing(message), sendOptions);
    await transport.handleRequest(req, res, body.message);
  }

  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const message = String((err as Error).message ?? err);
      if (!res.headersSent) sendJsonError(res, 400, message);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new UserError(`--http ${address.host}:${address.port}: cannot listen (${err.code ?? err.message})`),
      ),
    );
    http.listen(address.port, address.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const hostText = address.host.includes(':') ? `[${address.host}]` : address.host;
  if (!token && isLoopback(address.host)) {
    allowedHosts = [`${hostText}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
  }
  return {
    url: `http://${hostText}:${port}${MCP_PATH}`,
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([...sessions.values()].map((session) => session.transport.close()));
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}
