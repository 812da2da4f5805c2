// The stdio transport of `conduit mcp-server`, in place of the SDK's: newline-delimited JSON-RPC on
// stdin/stdout where every line is checked by jsonrpc-guard.ts and answered when it cannot be delivered.
// The SDK's transport closes itself on a line over its buffer limit (every later request, pings included,
// then went unanswered) and drops malformed lines silently; here an oversize line is skipped up to its
// newline, answered, and the next line is served as usual.

import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import {
  checkIncoming,
  cleanOutgoing,
  MAX_MESSAGE_BYTES,
  oversizeReply,
  parseIncoming,
} from './jsonrpc-guard.js';

/** Enough of an oversize line to find its id. */
const HEAD_BYTES = 4096;

export class GuardedStdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while skipping the rest of an oversize line: its first bytes, for the id. */
  private skipping: string | undefined;
  private closed = false;

  constructor(
    private readonly stdin: Readable = process.stdin,
    private readonly stdout: Writable = process.stdout,
    private readonly maxBytes = MAX_MESSAGE_BYTES,
  ) {}

  private readonly onData = (chunk: Buffer) => {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, newline < 0 ? chunk.length : newline);
      this.take(piece);
      if (newline < 0) return;
      this.endLine();
      start = newline + 1;
    }
  };

  private readonly onError = (error: Error) => this.onerror?.(error);

  /** Adds part of the current line, switching to skipping once it grows past the limit. */
  private take(piece: Buffer): void {
    if (this.skipping !== undefined || piece.length === 0) return;
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    if (this.pendingBytes <= this.maxBytes) return;
    this.skipping = Buffer.concat(this.pending).subarray(0, HEAD_BYTES).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
  }

  private endLine(): void {
    if (this.skipping !== undefined) {
      const head = this.skipping;
      this.skipping = undefined;
      void this.send(oversizeReply(head, this.maxBytes));
      return;
    }
    const line = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '');
    this.pending = [];
    this.pendingBytes = 0;
    if (line.trim() === '') return;
    const parsed = parseIncoming(line);
    if ('reply' in parsed) {
      void this.send(parsed.reply);
      return;
    }
    const checked = checkIncoming(parsed.value);
    if ('reply' in checked) void this.write(checked.reply);
    else if ('message' in checked) this.onmessage?.(checked.message);
    else this.onerror?.(new Error(`ignored an incoming message: ${checked.drop}`));
  }

  async start(): Promise<void> {
    this.stdin.on('data', this.onData);
    this.stdin.on('error', this.onError);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stdin.off('data', this.onData);
    this.stdin.off('error', this.onError);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.write(cleanOutgoing(message));
  }

  private write(payload: JSONRPCMessage | JSONRPCMessage[]): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(`${JSON.stringify(payload)}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }
}
