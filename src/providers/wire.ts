// What the transport (client.ts) needs from a wire: how to build a request body and how to parse its stream.
import type { Endpoint } from './endpoint.js';
import type { ModelTurnSettings, Prompt, ResponseEvent } from './types.js';

export interface StreamParser {
  /** The response is complete: stop reading (Responses `response.completed`, chat `[DONE]`). */
  readonly done: boolean;
  /** True when a connection dropped from here on loses nothing (chat after finish_reason). */
  readonly canEndEarly: boolean;
  /** One SSE `data` payload. May throw a ModelError (a failure the server reported). */
  feed(data: string, out: ResponseEvent[]): void;
  /** The body ended. Emits what is pending, or throws when the response is incomplete. */
  finish(out: ResponseEvent[]): void;
  /** A server that ignored `stream: true` answered with one JSON body. */
  feedWhole(json: string, out: ResponseEvent[]): void;
}

export interface Wire {
  readonly kind: 'responses' | 'chat';
  readonly endpoint: Endpoint;
  /** Built for every HTTP attempt, so a request adjusted by `recover` takes effect. */
  buildBody(prompt: Prompt, settings: ModelTurnSettings): string;
  createParser(): StreamParser;
  /**
   * A 4xx the wire can fix by changing its request (e.g. a server rejecting `stream_options`). Returns
   * true when the request should be sent again at once, adjusted.
   */
  recover(status: number, bodyText: string): boolean;
}
