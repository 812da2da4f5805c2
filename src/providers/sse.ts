// Reads an SSE body into `data` payloads with an idle timeout. Any byte counts as activity, SSE comments
// (keep-alives) included: slow local servers send them during a long prefill, and Codex's timer, which
// only counts events, kills exactly those requests.
import type { Readable } from 'node:stream';
import { createParser } from 'eventsource-parser';
import { ModelError } from './errors.js';
import { interrupted } from './retry.js';

/**
 * Yields each event's `data` in order, in batches (one per network chunk, so the per-event cost stays a
 * loop step rather than a promise). Ends at EOF; throws `idle_timeout` after `idleTimeoutMs` without a
 * byte, `stream` when the connection breaks, `interrupted` when `signal` aborts (the caller destroys
 * `body` on abort). Leaving the loop early destroys the body.
 */
export async function* readSseData(
  body: Readable,
  idleTimeoutMs: number,
  signal: AbortSignal,
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let batch: string[] = [];
  const parser = createParser({ onEvent: (event) => batch.push(event.data) });
  let lastActivity = performance.now();
  let timedOut = false;
  const idleError = () =>
    new ModelError('idle_timeout', `idle timeout waiting for SSE: no data for ${idleTimeoutMs} ms`);
  // One timer re-armed lazily instead of one per chunk: chunks arrive far more often than it fires.
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const idle = performance.now() - lastActivity;
    if (idle >= idleTimeoutMs) {
      timedOut = true;
      body.destroy();
    } else {
      timer = setTimeout(check, idleTimeoutMs - idle);
    }
  };
  timer = setTimeout(check, idleTimeoutMs);
  let finished = false;
  let failed = false;
  try {
    try {
      // destroyOnReturn: false, so a caller leaving early does not kill a connection that can be reused.
      for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<
        Uint8Array | string
      >) {
        lastActivity = performance.now();
        parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
        if (batch.length > 0) {
          const out = batch;
          batch = [];
          yield out;
        }
      }
    } catch (err) {
      failed = true;
      if (timedOut) throw idleError();
      if (signal.aborted) throw interrupted();
      throw new ModelError('stream', `stream disconnected before completion: ${describeCause(err)}`, {
        cause: err,
      });
    }
    if (timedOut) {
      failed = true;
      throw idleError();
    }
    // A last event without its closing blank line still counts.
    parser.feed(decoder.decode());
    parser.reset({ consume: true });
    if (batch.length > 0) yield batch;
    finished = true;
  } finally {
    clearTimeout(timer);
    // Neither finished nor failed: the caller left the loop early.
    if (finished || failed || signal.aborted) body.destroy();
    else release(body);
  }
}

/**
 * The caller stopped at the last event it needed (`response.completed`, `[DONE]`): the rest of the body
 * is usually a few bytes already on the way, so read them and the connection goes back to the pool for
 * the next request. A server that keeps sending is cut off after a second.
 */
function release(body: Readable): void {
  const timer = setTimeout(() => body.destroy(), 1000).unref();
  body.once('close', () => clearTimeout(timer));
  body.on('error', () => undefined);
  body.resume();
}

function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
