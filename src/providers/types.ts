// The model-client contract: the prompt (history items and tool specs, protocol/models.ts) and the typed
// event stream every client returns, so the agent loop never knows which wire it is talking to.

import type { JsonSchema, ResponseItem, TokenUsage, ToolSpec } from '../protocol/models.js';

export interface Prompt {
  instructions: string;
  /** The full history, every request (stateless; no previous_response_id). */
  input: ResponseItem[];
  tools: ToolSpec[];
  parallelToolCalls: boolean;
  /** JSON schema for the final answer (`--output-schema`). */
  outputSchema?: JsonSchema;
}

export type ResponseEvent =
  | { type: 'created' }
  | { type: 'output_item_added'; item: ResponseItem }
  /** The only source of final items. */
  | { type: 'output_item_done'; item: ResponseItem }
  | { type: 'output_text_delta'; delta: string }
  | { type: 'reasoning_summary_delta'; delta: string; summaryIndex: number }
  | { type: 'reasoning_summary_part_added' }
  | { type: 'reasoning_content_delta'; delta: string; contentIndex: number }
  /**
   * The response ended. `incomplete` is set when the server cut the answer short (Chat finish_reason
   * `length`/`content_filter`, Responses `response.incomplete`): the items so far are all there is.
   */
  | { type: 'completed'; responseId: string; usage?: TokenUsage; incomplete?: { reason: string } }
  /**
   * The request is being re-run (a cut stream, an idle timeout, a 5xx…). Everything streamed since the
   * last `created` is void; `attempt` counts from 1 up to `max` ("Reconnecting… 2/5").
   */
  | { type: 'retrying'; attempt: number; max: number; delayMs: number; message: string };

/** Per-turn settings a client needs besides the prompt; they can change mid-session. */
export interface ModelTurnSettings {
  model: string;
  reasoningEffort?: string;
  reasoningSummary?: string;
  verbosity?: string;
}

export interface ModelClient {
  /**
   * Streams one model response, retrying per the provider's policy. Ends after `completed`, or throws a
   * `ModelError` (providers/errors.ts) when the request cannot succeed or `signal` aborts it.
   */
  stream(prompt: Prompt, settings: ModelTurnSettings, signal: AbortSignal): AsyncIterable<ResponseEvent>;
}
