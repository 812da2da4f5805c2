// One HTTP exchange with a model server over node:http / node:https instead of fetch. fetch (undici) costs
// ~20 ms to load on the first request, and V8 tier-up compiles its wasm HTTP parser in the background
// once a few kB of SSE have been parsed: a ~22 MiB RSS peak and ~100 ms more before the process may exit.
// node:http's parser is native. Connections are kept alive between requests; gzip, deflate and br bodies
// are decoded as fetch did. Proxy variables (HTTPS_PROXY, NO_PROXY…) are not read, as with Node 20's fetch.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** What error classification reads from response headers (the subset of fetch's Headers it used). */
export interface HeaderLookup {
  get(name: string): string | null;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  ok: boolean;
  headers: HeaderLookup;
  /** The decoded body. Destroying it abandons the response (and its connection). */
  body: Readable;
  /** The whole decoded body as UTF-8 text. */
  text(): Promise<string>;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Aborts the request, or the body while it is being read. */
  signal: AbortSignal;
}

// keepAlive: a turn makes several requests to the same server; idle sockets are unref'd by the agent, so
// they never hold the process open.
const httpAgent = new HttpAgent({ keepAlive: true });
let httpsAgent: HttpsAgent | undefined;
let httpsRequest: typeof httpRequest | undefined;

/** Sends the request; resolves once the response head has arrived. Rejects on a transport error or abort. */
export async function httpSend(url: string, init: HttpRequest): Promise<HttpResponse> {
  const target = new URL(url);
  let send = httpRequest;
  let agent: HttpAgent | HttpsAgent = httpAgent;
  if (target.protocol === 'https:') {
    // TLS loads only for https providers: local servers (vLLM, Ollama, the tests) never pay for it.
    if (!httpsRequest) {
      const https = await import('node:https');
      httpsRequest = https.request;
      httpsAgent = new https.Agent({ keepAlive: true });
    }
    send = httpsRequest;
    agent = httpsAgent!;
  }
  const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...init.headers };
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  const { signal } = init;
  if (signal.aborted) throw abortError(signal);
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = send(target, { method: init.method, headers, agent });
    let body: Readable | undefined;
    // Before the response: the request fails with the abort. After: the body ends, and its reader (who
    // checks the signal) reports the interrupt.
    const onAbort = () => (body ? body.destroy() : req.destroy(abortError(signal)));
    signal.addEventListener('abort', onAbort, { once: true });
    const release = () => signal.removeEventListener('abort', onAbort);
    req.on('error', (err) => {
      release();
      reject(err);
    });
    req.on('response', (res) => {
      body = decode(res);
      // Readers see errors through their iterator; this keeps one that happens while nobody is reading
      // (between the head and the first read) from becoming an uncaught exception.
      body.on('error', () => undefined);
      // The listener stays until the body is done, so an abort mid-stream ends it.
      body.once('close', release);
      resolve(toResponse(res, body));
    });
    req.end(init.body);
  });
}

function decode(res: IncomingMessage): Readable {
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) return res;
  res.on('error', (err) => decoder.destroy(err));
  decoder.on('close', () => res.destroy());
  return res.pipe(decoder);
}

function toResponse(res: IncomingMessage, body: Readable): HttpResponse {
  const status = res.statusCode ?? 0;
  return {
    status,
    statusText: res.statusMessage ?? '',
    ok: status >= 200 && status < 300,
    headers: {
      get(name: string) {
        const value = res.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body,
    async text() {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the request was aborted');
}
