// Reads an SSE body into `data` payloads with an idle timeout. Any byte counts as activity, SSE comments
// (keep-alives) included: slow local servers send them during a long prefill, and Codex's timer, which
// only counts events, kills exactly those requests.
import { createParser } from 'eventsource-parser';
import { ModelError } from './errors.js';
import { interrupted } from './retry.js';

/**
 * Yields each event's `data` in order, in batches (one per network chunk, so the per-event cost stays a
 * loop step rather than a promise). Ends at EOF; throws `idle_timeout` after `idleTimeoutMs` without a
 * byte, `stream` when the connection breaks, `interrupted` when `signal` aborts. Breaking out of the loop
 * cancels the body.
 */
export async function* readSseData(
  body: ReadableStream<Uint8Array>,
  idleTimeoutMs: number,
  signal: AbortSignal,
): AsyncGenerator<string[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let batch: string[] = [];
  const parser = createParser({ onEvent: (event) => batch.push(event.data) });
  let lastActivity = performance.now();
  let timedOut = false;
  // One timer re-armed lazily instead of one per chunk: chunks arrive far more often than it fires.
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const idle = performance.now() - lastActivity;
    if (idle >= idleTimeoutMs) {
      timedOut = true;
      reader.cancel().catch(() => undefined);
    } else {
      timer = setTimeout(check, idleTimeoutMs - idle);
    }
  };
  timer = setTimeout(check, idleTimeoutMs);
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (signal.aborted) throw interrupted();
        throw new ModelError('stream', `stream disconnected before completion: ${describeCause(err)}`, {
          cause: err,
        });
      }
      if (timedOut) {
        throw new ModelError('idle_timeout', `idle timeout waiting for SSE: no data for ${idleTimeoutMs} ms`);
      }
      if (chunk.done) break;
      lastActivity = performance.now();
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      if (batch.length > 0) {
        const out = batch;
        batch = [];
        yield out;
      }
    }
    // A last event without its closing blank line still counts.
    parser.feed(decoder.decode());
    parser.reset({ consume: true });
    if (batch.length > 0) yield batch;
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => undefined);
  }
}

function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
