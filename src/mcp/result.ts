// A `tools/call` result → what the model reads in `function_call_output`. Structured content wins (it is
// the machine-readable answer); otherwise the content blocks become text, and images become input_image
// parts so a vision model actually sees them.

import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { FunctionCallOutputContent, FunctionCallOutputPayload } from '../protocol/models.js';

export interface ConvertedResult {
  output: FunctionCallOutputPayload;
  success: boolean;
}

export function callResultToOutput(result: CallToolResult): ConvertedResult {
  const success = result.isError !== true;
  if (result.structuredContent !== undefined && result.structuredContent !== null) {
    return { output: JSON.stringify(result.structuredContent), success };
  }
  const parts = (result.content ?? []).map(blockToPart);
  if (parts.some((part) => part.type === 'input_image')) return { output: mergeAdjacentText(parts), success };
  return { output: parts.map((part) => (part.type === 'input_text' ? part.text : '')).join('\n'), success };
}

function blockToPart(block: ContentBlock): FunctionCallOutputContent {
  switch (block.type) {
    case 'text':
      return { type: 'input_text', text: block.text };
    case 'image':
      return { type: 'input_image', image_url: toDataUrl(block.data, block.mimeType) };
    case 'audio':
      return {
        type: 'input_text',
        text: `[audio: ${block.mimeType}, ${base64Bytes(block.data)} bytes, not shown]`,
      };
    case 'resource_link': {
      const details = [block.mimeType, block.description].filter(Boolean).join('; ');
      return {
        type: 'input_text',
        text: `Resource link: ${block.name} <${block.uri}>${details ? ` (${details})` : ''}`,
      };
    }
    case 'resource': {
      const res = block.resource;
      if ('text' in res && typeof res.text === 'string') {
        return {
          type: 'input_text',
          text: `Resource ${res.uri}${res.mimeType ? ` (${res.mimeType})` : ''}:\n${res.text}`,
        };
      }
      const blob = 'blob' in res && typeof res.blob === 'string' ? res.blob : '';
      return {
        type: 'input_text',
        text: `Resource ${res.uri}: binary ${res.mimeType ?? 'data'}, ${base64Bytes(blob)} bytes (read it with read_mcp_resource)`,
      };
    }
    default:
      return { type: 'input_text', text: JSON.stringify(block) };
  }
}

/** MCP sends bare base64; the wire wants a data URL. Some servers already send one. */
export function toDataUrl(data: string, mimeType: string): string {
  return data.startsWith('data:') ? data : `data:${mimeType};base64,${data}`;
}

function base64Bytes(data: string): number {
  return Buffer.byteLength(data, 'base64');
}

function mergeAdjacentText(parts: FunctionCallOutputContent[]): FunctionCallOutputContent[] {
  const merged: FunctionCallOutputContent[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (part.type === 'input_text' && last?.type === 'input_text') last.text += `\n${part.text}`;
    else merged.push({ ...part });
  }
  return merged;
}
