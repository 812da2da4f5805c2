// The model-client contract: history items in the Responses API's own shape (they are stored in rollouts
// and sent as-is on that wire), the tool specs sent to the model, and the typed event stream every client
// returns so the agent loop never knows which wire it is talking to.

export type ContentItem =
  | { type: 'input_text'; text: string }
  | { type: 'output_text'; text: string }
  | { type: 'input_image'; image_url: string };

export type FunctionCallOutputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string };

/** A plain string, or text/image parts when the tool returned images. */
export type FunctionCallOutputPayload = string | FunctionCallOutputContent[];

export type ResponseItem =
  | {
      type: 'message';
      id?: string;
      role: 'user' | 'assistant' | 'system' | 'developer';
      content: ContentItem[];
    }
  | {
      type: 'reasoning';
      id?: string;
      summary: { type: 'summary_text'; text: string }[];
      content?: { type: 'reasoning_text'; text: string }[];
      encrypted_content?: string;
    }
  | { type: 'function_call'; id?: string; name: string; arguments: string; call_id: string }
  | { type: 'function_call_output'; call_id: string; output: FunctionCallOutputPayload }
  | { type: 'custom_tool_call'; id?: string; status?: string; call_id: string; name: string; input: string }
  | { type: 'custom_tool_call_output'; call_id: string; output: string };

/** JSON Schema as sent to the model (the subset both wires accept is decided by whoever builds it). */
export type JsonSchema = { [key: string]: unknown };

export type ToolSpec =
  | { type: 'function'; name: string; description: string; strict: boolean; parameters: JsonSchema }
  | {
      type: 'custom';
      name: string;
      description: string;
      format: { type: 'grammar'; syntax: 'lark'; definition: string };
    };

export interface Prompt {
  instructions: string;
  /** The full history, every request (stateless; no previous_response_id). */
  input: ResponseItem[];
  tools: ToolSpec[];
  parallelToolCalls: boolean;
  /** JSON schema for the final answer (`--output-schema`). */
  outputSchema?: JsonSchema;
}

export interface TokenUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
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
