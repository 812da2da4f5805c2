// `conduit mcp-server --http HOST:PORT`: the MCP streamable HTTP transport on `/mcp`, one MCP session (and
// one SDK Server) per client, all sharing the process's threads. A bearer token is checked on every request
// when configured, and required before listening beyond loopback: a network-reachable agent that runs
// commands must not be open to anyone who can reach the port. On loopback without a token, Host checking
// stops DNS-rebinding pages from driving the agent through a browser.

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
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { UserError } from '../../index.js';

export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

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

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
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
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

export async function serveHttp(options: HttpServeOptions): Promise<RunningHttpServer> {
  const { address, token } = options;
  if (!token && !isLoopback(address.host)) {
    throw new UserError(
      `--http ${address.host}:${address.port}: listening beyond loopback needs a bearer token; set one with --bearer-token-env-var NAME (and NAME=<token> in the environment), or listen on 127.0.0.1`,
    );
  }
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let allowedHosts: string[] | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (path !== MCP_PATH)
      return sendJsonError(res, 404, `not found: ${path} (the MCP endpoint is ${MCP_PATH})`);
    if (token && !bearerMatches(req.headers.authorization, token)) {
      return sendJsonError(res, 401, 'missing or wrong bearer token', { 'www-authenticate': 'Bearer' });
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = sessions.get(sessionId);
      if (!transport) return sendJsonError(res, 404, `unknown MCP session ${sessionId}; initialize again`);
      const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
      return transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST') return sendJsonError(res, 400, 'no mcp-session-id header; initialize first');
    const body = await readJsonBody(req);
    if (!isInitializeRequest(body))
      return sendJsonError(res, 400, 'no mcp-session-id header; initialize first');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
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
    await transport.handleRequest(req, res, body);
  }

  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const message =
        err instanceof SyntaxError ? `invalid JSON: ${err.message}` : String((err as Error).message ?? err);
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
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}
