// Sign-in state of one MCP server, one file per server under $CONDUIT_HOME/mcp-auth/: tokens, the client
// registration, the discovered server metadata. Files are written 0600 in a 0700 folder, atomically (a
// crash never leaves half a file), and never hold anything from the config.

import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

export interface StoredCredentials {
  /** The server URL these belong to: a different url in the config means signing in again. */
  url: string;
  tokens?: OAuthTokens;
  /** Epoch ms at which the access token expires (from `expires_in` when it was saved). */
  expiresAt?: number;
  client?: OAuthClientInformationMixed;
  discovery?: OAuthDiscoveryState;
  /** A scope a server asked for (step-up) that could not be granted here; the next login asks for it. */
  pendingScope?: string;
}

export class CredentialStore {
  readonly dir: string;

  constructor(conduitHome: string) {
    this.dir = join(conduitHome, 'mcp-auth');
  }

  /** Server names are restricted to [A-Za-z0-9_-] by the config schema, so they are safe as file names. */
  pathOf(server: string): string {
    return join(this.dir, `${server}.json`);
  }

  /** The stored state for `server`, or undefined when none is stored for this url (or the file is unreadable). */
  read(server: string, url: string): StoredCredentials | undefined {
    let text: string;
    try {
      text = readFileSync(this.pathOf(server), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = JSON.parse(text) as StoredCredentials;
      return parsed && typeof parsed === 'object' && parsed.url === url ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  write(server: string, credentials: StoredCredentials): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = this.pathOf(server);
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    // The mode given to writeFileSync is filtered by the umask, and an existing temp file keeps its own.
    chmodSync(temp, 0o600);
    renameSync(temp, target);
  }

  /** Deletes the server's file; true when there was one. */
  remove(server: string): boolean {
    try {
      readFileSync(this.pathOf(server));
    } catch {
      return false;
    }
    rmSync(this.pathOf(server), { force: true });
    return true;
  }
}
