// Responses-shaped history → Chat Completions `messages` and `tools` (codex-reference §4), with two fixes
// over Codex: consecutive tool calls share ONE assistant message (strict servers reject an assistant
// tool-call message not directly followed by its tool results), and freeform tools (apply_patch) are
// offered as a function taking `{input}` instead of being dropped.

import type {
  ContentItem,
  FunctionCallOutputPayload,
  ResponseItem,
  ToolSpec,
} from '../../protocol/models.js';
import type { ChatQuirks } from '../quirks.js';

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } };

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: string;
  content: string | ChatContentPart[] | null;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  reasoning?: string;
  reasoning_content?: string;
}

export interface ChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown>; strict?: boolean };
}

export type MessageQuirks = Pick<ChatQuirks, 'reasoningField' | 'developerRole'>;

export function buildChatMessages(
  instructions: string,
  input: ResponseItem[],
  quirks: MessageQuirks,
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (instructions) messages.push({ role: 'system', content: instructions });
  // Reasoning is replayed only within the current user turn (what DeepSeek's thinking mode requires).
  let lastUser = -1;
  input.forEach((item, i) => {
    if (item.type === 'message' && item.role === 'user') lastUser = i;
  });
  let pendingReasoning = '';
  let lastAssistantText: string | undefined;
  const attachReasoning = (msg: ChatMessage) => {
    if (!pendingReasoning) return;
    const field = quirks.reasoningField;
    msg[field] = (msg[field] ?? '') + pendingReasoning;
    pendingReasoning = '';
  };
  const addToolCall = (call: ChatToolCall) => {
    const prev = messages.at(-1);
    if (prev?.role === 'assistant') {
      prev.tool_calls = [...(prev.tool_calls ?? []), call];
      attachReasoning(prev);
      return;
    }
    const msg: ChatMessage = { role: 'assistant', content: null, tool_calls: [call] };
    attachReasoning(msg);
    messages.push(msg);
  };

  input.forEach((item, i) => {
    switch (item.type) {
      case 'message': {
        if (item.role === 'assistant') {
          const text = item.content.map((c) => ('text' in c ? c.text : '')).join('');
          if (text === lastAssistantText) return;
          lastAssistantText = text;
          const msg: ChatMessage = { role: 'assistant', content: text };
          attachReasoning(msg);
          messages.push(msg);
          return;
        }
        const role = item.role === 'developer' ? quirks.developerRole : item.role;
        const hasImage = item.content.some((c) => c.type === 'input_image');
        const content = hasImage
          ? item.content.map(toPart)
          : item.content.map((c) => ('text' in c ? c.text : '')).join('');
        messages.push({ role, content });
        return;
      }
      case 'reasoning': {
        if (i < lastUser) return;
        const parts = item.content?.length ? item.content : item.summary;
        const text = parts.map((p) => p.text).join('');
        if (!text) return;
        pendingReasoning += text;
        // On the preceding assistant message of this turn if there is one, else on the next one.
        const prev = messages.at(-1);
        if (prev?.role === 'assistant') attachReasoning(prev);
        return;
      }
      case 'function_call':
        addToolCall({
          id: item.call_id,
          type: 'function',
          function: { name: item.name, arguments: item.arguments },
        });
        return;
      case 'custom_tool_call':
        addToolCall({
          id: item.call_id,
          type: 'function',
          function: { name: item.name, arguments: JSON.stringify({ input: item.input }) },
        });
        return;
      case 'function_call_output':
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: toolOutputContent(item.output) });
        return;
      case 'custom_tool_call_output':
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: item.output });
        return;
    }
  });
  return messages;
}

function toPart(c: ContentItem): ChatContentPart {
  return c.type === 'input_image'
    ? { type: 'image_url', image_url: { url: c.image_url } }
    : { type: 'text', text: c.text };
}

function toolOutputContent(output: FunctionCallOutputPayload): string | ChatContentPart[] {
  if (typeof output === 'string') return output;
  if (!output.some((p) => p.type === 'input_image'))
    return output.map((p) => ('text' in p ? p.text : '')).join('');
  return output.map((p) =>
    p.type === 'input_image'
      ? { type: 'image_url', image_url: { url: p.image_url } }
      : { type: 'text', text: p.text },
  );
}

/** Chat `tools`, plus the names of freeform tools so the assembler can turn their calls back into custom calls. */
export function buildChatTools(tools: ToolSpec[]): { tools: ChatTool[]; customToolNames: Set<string> } {
  const customToolNames = new Set<string>();
  const out = tools.map((tool): ChatTool => {
    if (tool.type === 'function') {
      return {
        type: 'function',
        function: {
          name: tool.name,
          description: tool.description,
          parameters: tool.parameters,
          ...(tool.strict ? { strict: true } : {}),
        },
      };
    }
    customToolNames.add(tool.name);
    return {
      type: 'function',
      function: {
        name: tool.name,
        description: `${tool.description}\n\nPass the complete raw input as the \`input\` string. Its grammar (Lark):\n${tool.format.definition}`,
        parameters: {
          type: 'object',
          properties: {
            input: { type: 'string', description: 'The raw input, exactly as the grammar describes.' },
          },
          required: ['input'],
          additionalProperties: false,
        },
      },
    };
  });
  return { tools: out, customToolNames };
}
