// An ACP prompt (content blocks) as Conduit user input. Text stays text; images become data URLs; a
// resource link is named so the model can open it (editors send `file://` and also `zed://` links); an
// embedded resource (a file the user attached, maybe an unsaved buffer) is inlined in a <context> block.

import type { ContentBlock } from '@agentclientprotocol/sdk';
import { RequestError } from '@agentclientprotocol/sdk';
import type { UserInputItem } from '../../index.js';

/** Larger embedded files are cut, with a note: the model can still read the rest through its tools. */
export const MAX_EMBEDDED_CHARS = 256 * 1024;

/** A `file://` URI as a path; any other URI as it is. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

function embedded(uri: string, text: string): string {
  const body =
    text.length > MAX_EMBEDDED_CHARS
      ? `${text.slice(0, MAX_EMBEDDED_CHARS)}\n[… ${text.length - MAX_EMBEDDED_CHARS} more characters not shown]`
      : text;
  return `<context ref="${uriToPath(uri)}">\n${body}${body.endsWith('\n') ? '' : '\n'}</context>`;
}

/** Throws an invalid-params error naming the block, for content the agent did not advertise. */
export function promptToInput(blocks: ContentBlock[]): UserInputItem[] {
  const items: UserInputItem[] = [];
  const contexts: string[] = [];
  blocks.forEach((block, index) => {
    switch (block.type) {
      case 'text':
        items.push({ type: 'text', text: block.text });
        break;
      case 'image':
        items.push({
          type: 'image',
          image_url:
            block.uri && /^https?:\/\//.test(block.uri) && !block.data
              ? block.uri
              : `data:${block.mimeType};base64,${block.data}`,
        });
        break;
      case 'resource_link':
        items.push({ type: 'text', text: `[@${block.name}](${uriToPath(block.uri)})` });
        break;
      case 'resource': {
        const { resource } = block;
        if ('text' in resource) contexts.push(embedded(resource.uri, resource.text));
        else if (resource.mimeType?.startsWith('image/'))
          items.push({ type: 'image', image_url: `data:${resource.mimeType};base64,${resource.blob}` });
        else
          items.push({
            type: 'text',
            text: `[binary attachment ${uriToPath(resource.uri)} (${resource.mimeType ?? 'unknown type'}) not shown]`,
          });
        break;
      }
      case 'audio':
        throw RequestError.invalidParams(
          { index },
          `prompt[${index}]: audio content is not supported (promptCapabilities.audio is false)`,
        );
    }
  });
  for (const text of contexts) items.push({ type: 'text', text });
  if (items.length === 0) throw RequestError.invalidParams(undefined, 'prompt: no content blocks');
  return items;
}

/** `/name rest` when the prompt is a slash command (its first block is text starting with `/`). */
export function slashCommandOf(blocks: ContentBlock[]): { name: string; args: string } | undefined {
  const first = blocks[0];
  if (first?.type !== 'text') return undefined;
  const match = /^\/([A-Za-z][\w-]*)(?:\s+([\s\S]*))?$/.exec(first.text.trim());
  return match ? { name: match[1], args: (match[2] ?? '').trim() } : undefined;
}
