// The script language of the fake model server: what a test enqueues. One FakeResponse answers one
// request. A streamed response is a list of steps played in order over SSE, in the shape of whichever
// wire was called (Responses events or Chat Completions chunks).

export type FakeStep =
  /** Assistant text, streamed as several deltas (`deltas` if given, else one per word). */
  | { type: 'text'; text: string; deltas?: string[] }
  /**
   * Reasoning. Responses: `summary` as reasoning_summary_text deltas, `content` as reasoning_text
   * deltas. Chat: `content ?? summary` as deltas in the response's `reasoningField`.
   */
  | { type: 'reasoning'; summary?: string; content?: string; encryptedContent?: string }
  /** A function tool call; object arguments are JSON-encoded, strings sent verbatim (even if not JSON). */
  | { type: 'tool_call'; name: string; arguments: string | Record<string, unknown>; callId?: string }
  /** A freeform (custom) tool call. Responses wire only. */
  | { type: 'custom_tool_call'; name: string; input: string; callId?: string }
  /**
   * Token usage. Responses: carried by response.completed. Chat: a final `choices: []` chunk, sent when
   * the request asked for `stream_options.include_usage` (or always, with `chatUsage: 'always'`).
   */
  | { type: 'usage'; input?: number; cached?: number; output?: number; reasoning?: number }
  /** SSE comment lines (`: keep-alive`), `count` of them `intervalMs` apart (default 1, 0 ms). */
  | { type: 'keepalive'; count?: number; intervalMs?: number }
  /** No bytes at all for `ms` milliseconds. */
  | { type: 'stall'; ms: number }
  /** Destroy the socket here: the client sees a stream cut mid-way. Later steps are not played. */
  | { type: 'cut' }
  /** A `data:` event whose payload is not JSON. */
  | { type: 'malformed'; data?: string }
  /** A verbatim `data:` payload (any chunk or event shape not covered above). */
  | { type: 'raw'; data: string }
  /**
   * A server-side failure mid-stream. Responses: `response.failed` with `response.error`, then the stream
   * ends. Chat: a `{"error": {...}}` chunk, then the stream ends.
   */
  | { type: 'failed'; message: string; code?: string; errorType?: string };

/** How the chat wire sends tool calls (real servers differ). */
export type ChatToolCallShape =
  /** OpenAI style: a head chunk with index, id and name, then argument fragments carrying the index. */
  | 'indexed'
  /** As `indexed`, but fragments of several calls alternate (needs index keying to assemble). */
  | 'interleaved'
  /** Head chunk with id and name but no index; argument fragments with neither index nor id. */
  | 'no-index'
  /** Each call complete (id, name, all arguments) in a single chunk. */
  | 'one-chunk'
  /** All calls complete in one delta's `tool_calls` array. */
  | 'single-delta';

export interface FakeStreamResponse {
  steps: FakeStep[];
  /** Response id (Responses `response.id`, chat chunk `id`); generated when absent. */
  id?: string;
  /** Extra response headers (e.g. `x-request-id`). */
  headers?: Record<string, string>;
  /** Chat: finish_reason of the last choice chunk; default `tool_calls` if the steps call a tool, else `stop`; null sends none. */
  finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter' | null;
  /**
   * The server cuts the answer short. Responses: the last text step gets no output_text.done /
   * output_item.done, and `response.incomplete` (with this reason) replaces response.completed. Chat:
   * finish_reason `length` (max_output_tokens) or `content_filter`, unless finishReason says otherwise.
   */
  incomplete?: 'max_output_tokens' | 'content_filter';
  /** Chat: end with `data: [DONE]` (default) or a bare EOF. Responses: `eof` omits response.completed. */
  end?: 'done' | 'eof';
  /** Chat: which delta field carries reasoning (default `reasoning_content`). */
  reasoningField?: 'reasoning' | 'reasoning_content';
  /** Chat: tool call chunk shape (default `indexed`). */
  toolCallShape?: ChatToolCallShape;
  /** Chat: `content` as a string (default) or an array of `{type:'text', text}` parts. */
  contentShape?: 'string' | 'parts';
  /** Chat: send the usage chunk only when requested (default) or always. */
  chatUsage?: 'when-requested' | 'always';
}

/** A plain HTTP answer: an error status (with body and e.g. Retry-After), or a non-streamed 200 JSON body. */
export interface FakeHttpResponse {
  status: number;
  /** Objects are sent as JSON, strings as text/plain. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeResponse = FakeStreamResponse | FakeHttpResponse;

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when empty or not JSON). */
  body: unknown;
  rawBody: string;
  /** Which endpoint was hit. */
  wire: 'responses' | 'chat' | 'models' | 'other';
}

export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeModelServerOptions {
  /** Which wires answer; a request to the other gets 404 (a chat-only or responses-only endpoint). */
  wires?: ('responses' | 'chat')[];
  /** Model ids listed by GET …/models (default `['fake-model']`); `null` answers 404. */
  models?: string[] | null;
  /** Chat `stream_options`: `accept` (default), `reject` with a 400 like strict servers, or `ignore` (never sends usage). */
  chatStreamOptions?: 'accept' | 'reject' | 'ignore';
  /** When the queue is empty and no handler is set: answer 500 (default, so a test notices) or `auto` (see autoReply). */
  onEmpty?: 'error' | 'auto';
  /** Port to listen on (default: any free port). */
  port?: number;
}
