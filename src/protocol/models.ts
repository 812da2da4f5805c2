// The model-facing shapes: history items in the Responses API's own form (stored in rollouts and sent
// as-is on that wire), the tool specs offered to the model, and token usage. Every layer speaks these.

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

export interface TokenUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
}
