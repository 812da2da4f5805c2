// The transport every wire shares: sends the request with request-level retries, reads the SSE stream
// with an idle timeout, and re-runs the whole request on a broken stream (stream-level retries). Each
// wait is reported as a `retrying` event and cut short by the caller's AbortSignal.
//
// Request-level failures that survive `request_max_retries` are final; they are not multiplied by
// `stream_max_retries` as in Codex (up to 30 attempts for one dead server).
import type { ModelProviderInfo } from '../config/types.js';
import { classifyHttpError } from './classify.js';
import { buildRequestHeaders, buildRequestUrl } from './endpoint.js';
import { isModelError, ModelError } from './errors.js';
import { type HttpResponse, httpSend } from './http.js';
import { abortableSleep, backoffMs, interrupted } from './retry.js';
import { readSseData } from './sse.js';
import type { ModelClient, ModelTurnSettings, Prompt, ResponseEvent } from './types.js';
import type { StreamParser, Wire } from './wire.js';

export interface TransportOptions {
  sessionId: string;
  originator: string;
  version: string;
  /** Read at every request (API keys, env_http_headers). */
  env: NodeJS.ProcessEnv;
}

/** How the last response arrived (what `conduit doctor` reports). */
export interface StreamInfo {
  status: number;
  contentType: string;
  /** Served as SSE (false: one JSON body despite `stream: true`). */
  streamed: boolean;
}

export class HttpModelClient implements ModelClient {
  lastStreamInfo: StreamInfo | undefined;

  constructor(
    readonly provider: ModelProviderInfo,
    readonly wire: Wire,
    private readonly options: TransportOptions,
  ) {}

  async *stream(
    prompt: Prompt,
    settings: ModelTurnSettings,
    signal: AbortSignal,
  ): AsyncGenerator<ResponseEvent> {
    const max = this.provider.streamMaxRetries;
    for (let attempt = 0; ; attempt++) {
      const response = yield* this.send(prompt, settings, signal);
      try {
        // Batches, not single events, cross the inner generator: one promise hop per event instead of two.
        for await (const batch of this.read(response, this.wire.createParser(), signal)) yield* batch;
        return;
      } catch (err) {
        const error = toModelError(err, signal);
        if (!error.retryable || attempt >= max) throw error;
        const delayMs = error.delayMs ?? backoffMs(attempt + 1);
        yield {
          type: 'retrying',
          attempt: attempt + 1,
          max,
          delayMs,
          message: `Reconnecting… ${attempt + 1}/${max}: ${error.message}`,
        };
        await abortableSleep(delayMs, signal);
      }
    }
  }

  /** POSTs the request until it gets a 2xx, retrying 429/5xx/transport errors per `request_max_retries`. */
  private async *send(
    prompt: Prompt,
    settings: ModelTurnSettings,
    signal: AbortSignal,
  ): AsyncGenerator<ResponseEvent, HttpResponse> {
    const url = buildRequestUrl(this.provider, this.wire.endpoint);
    const max = this.provider.requestMaxRetries;
    for (let attempt = 0; ; ) {
      if (signal.aborted) throw interrupted();
      const headers = buildRequestHeaders(
        this.provider,
        { ...this.options, wire: this.wire.kind },
        this.options.env,
      );
      const body = this.wire.buildBody(prompt, settings);
      let error: ModelError;
      try {
        const response = await httpSend(url, { method: 'POST', headers, body, signal });
        if (response.ok) return response;
        const text = await response.text();
        if (this.wire.recover(response.status, text)) continue;
        error = classifyHttpError(
          this.provider.name,
          response.status,
          response.statusText,
          text,
          response.headers,
        );
      } catch (err) {
        if (signal.aborted) throw interrupted();
        if (isModelError(err)) throw err;
        error = new ModelError('stream', `could not reach ${this.provider.name} at ${url}: ${causeOf(err)}`, {
          cause: err,
        });
      }
      if (!error.retryable || attempt >= max) throw error;
      attempt++;
      const delayMs = error.delayMs ?? backoffMs(attempt);
      yield {
        type: 'retrying',
        attempt,
        max,
        delayMs,
        message: `Retrying request ${attempt}/${max}: ${error.message}`,
      };
      await abortableSleep(delayMs, signal);
    }
  }

  private async *read(
    response: HttpResponse,
    parser: StreamParser,
    signal: AbortSignal,
  ): AsyncGenerator<ResponseEvent[]> {
    const contentType = response.headers.get('content-type') ?? '';
    const streamed = !/json/i.test(contentType);
    this.lastStreamInfo = { status: response.status, contentType, streamed };
    const out: ResponseEvent[] = [];
    if (!streamed) {
      parser.feedWhole(await response.text(), out);
      yield out;
      return;
    }
    try {
      for await (const batch of readSseData(response.body, this.provider.streamIdleTimeoutMs, signal)) {
        for (const data of batch) {
          parser.feed(data, out);
          if (parser.done) break;
        }
        if (out.length > 0) yield out.splice(0);
        if (parser.done) return;
      }
    } catch (err) {
      // A chat server that already sent finish_reason and then hung or dropped: nothing is missing.
      if (
        !(parser.canEndEarly && isModelError(err) && (err.kind === 'stream' || err.kind === 'idle_timeout'))
      )
        throw err;
    }
    out.length = 0;
    parser.finish(out);
    yield out;
  }
}

function toModelError(err: unknown, signal: AbortSignal): ModelError {
  if (signal.aborted) return interrupted();
  if (isModelError(err)) return err;
  return new ModelError('stream', `the model stream failed: ${causeOf(err)}`, { cause: err });
}

function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
