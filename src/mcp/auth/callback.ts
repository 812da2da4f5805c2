// The loopback end of the authorization-code flow: an HTTP server on 127.0.0.1 (RFC 8252 §7.3) that waits
// for the browser to come back to /callback with the code. It answers once, checks `state`, and closes.
// Written by hand because the MCP SDK leaves receiving the redirect to the application.

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CALLBACK_PATH = '/callback';

export class AuthorizationCallback {
  private readonly result: Promise<string>;
  private settle!: { resolve: (code: string) => void; reject: (err: Error) => void };
  private expectedState: string | undefined;

  private constructor(
    private readonly server: Server,
    readonly redirectUrl: string,
    private readonly serverName: string,
  ) {
    this.result = new Promise<string>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Nobody may be waiting yet; an early failure must not become an unhandled rejection.
    this.result.catch(() => undefined);
  }

  /** Listens on 127.0.0.1:`port` (0 = any free port). */
  static async listen(serverName: string, port = 0): Promise<AuthorizationCallback> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const actual = (server.address() as AddressInfo).port;
    const callback = new AuthorizationCallback(
      server,
      `http://127.0.0.1:${actual}${CALLBACK_PATH}`,
      serverName,
    );
    server.on('request', (req, res) => callback.handle(req.url ?? '/', res));
    return callback;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The `state` sent in the authorization URL; a callback carrying another one is refused. */
  expectState(state: string): void {
    this.expectedState = state;
  }

  /** Resolves with the authorization code; rejects on an error redirect, `signal`, or after `timeoutMs`. */
  async waitForCode(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const limits = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from the browser within ${Math.round(timeoutMs / 1000)} s`)),
        timeoutMs,
      );
      signal?.addEventListener('abort', () => reject(new Error('sign-in cancelled')), { once: true });
    });
    try {
      return await Promise.race([this.result, limits]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.server.close();
    this.server.closeAllConnections();
    this.settle.reject(new Error('sign-in cancelled'));
  }

  private handle(rawUrl: string, res: ServerResponse): void {
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const reply = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(`${text}\n`);
    };
    if (url.pathname !== CALLBACK_PATH) {
      reply(404, 'Not found.');
      return;
    }
    const params = url.searchParams;
    if (this.expectedState !== undefined && params.get('state') !== this.expectedState) {
      // Not ours (a stale tab, or a forged request): keep waiting for the real one.
      reply(400, 'This sign-in link is stale or was not started by Conduit; it was ignored.');
      return;
    }
    const error = params.get('error');
    if (error) {
      const description = params.get('error_description');
      reply(400, `Sign-in to ${this.serverName} failed: ${error}${description ? ` (${description})` : ''}.`);
      this.settle.reject(
        new Error(`the authorization server refused: ${error}${description ? `: ${description}` : ''}`),
      );
      return;
    }
    const code = params.get('code');
    if (!code) {
      reply(400, 'The redirect carried no authorization code.');
      return;
    }
    reply(200, `Signed in to MCP server '${this.serverName}'. You can close this tab.`);
    this.settle.resolve(code);
  }
}
