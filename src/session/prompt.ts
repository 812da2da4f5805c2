// Builds what the model sees: the instructions, the initial context items at the start of a session
// (developer instructions, AGENTS.md, the environment), user input turned into history items, and the
// per-request Prompt.

import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ContentItem, JsonSchema, ResponseItem, ToolSpec } from '../protocol/models.js';
import type { UserInputItem } from '../protocol/ops.js';
import type { Prompt } from '../providers/types.js';
import { BASE_INSTRUCTIONS } from './base-instructions.js';
import { type EnvironmentContext, environmentContextItem } from './environment-context.js';

export function instructionsFor(baseInstructionsOverride: string | undefined): string {
  return baseInstructionsOverride ?? BASE_INSTRUCTIONS;
}

/** What a new session's history starts with; a resumed session already has these in its history. */
export function initialContextItems(opts: {
  developerInstructions?: string;
  /** The AGENTS.md message, already formatted (config/project-docs.ts). */
  projectDocMessage?: string;
  environment: EnvironmentContext;
}): ResponseItem[] {
  const items: ResponseItem[] = [];
  if (opts.developerInstructions) {
    items.push({
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: opts.developerInstructions }],
    });
  }
  if (opts.projectDocMessage) {
    items.push({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: opts.projectDocMessage }],
    });
  }
  items.push(environmentContextItem(opts.environment));
  return items;
}

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/** Reads a local image into a data URL; a file that cannot be read becomes a text note the model sees. */
async function localImagePart(path: string): Promise<ContentItem> {
  const mime = IMAGE_TYPES[extname(path).toLowerCase()];
  if (!mime)
    return {
      type: 'input_text',
      text: `[image ${path} was not attached: not a png, jpeg, gif or webp file]`,
    };
  try {
    const data = await readFile(path);
    return { type: 'input_image', image_url: `data:${mime};base64,${data.toString('base64')}` };
  } catch (err) {
    return { type: 'input_text', text: `[image ${path} could not be read: ${(err as Error).message}]` };
  }
}

export async function userInputItem(input: readonly UserInputItem[]): Promise<ResponseItem> {
  const content: ContentItem[] = [];
  for (const part of input) {
    if (part.type === 'text') content.push({ type: 'input_text', text: part.text });
    else if (part.type === 'image') content.push({ type: 'input_image', image_url: part.image_url });
    else content.push(await localImagePart(part.path));
  }
  return { type: 'message', role: 'user', content };
}

/** The text of a user message as front ends show it (images are listed separately). */
export function userInputText(input: readonly UserInputItem[]): string {
  return input
    .filter((part): part is { type: 'text'; text: string } => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

export function buildPrompt(opts: {
  instructions: string;
  history: readonly ResponseItem[];
  tools: ToolSpec[];
  parallelToolCalls: boolean;
  outputSchema?: JsonSchema;
}): Prompt {
  return {
    instructions: opts.instructions,
    input: [...opts.history],
    tools: opts.tools,
    parallelToolCalls: opts.parallelToolCalls,
    outputSchema: opts.outputSchema,
  };
}
