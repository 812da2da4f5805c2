// Compaction: when the history grows too big (or on the `compact` op), the model summarises the work so
// far and the history is replaced by the initial context (developer instructions, AGENTS.md, the current
// environment), the most recent user messages and that summary. The messages we inject are recognised by
// the markers their writers export, never by a copy of their text.

import { PROJECT_DOCS_MARKER } from '../config/project-docs.js';
import type { Config } from '../config/types.js';
import type { ResponseItem } from '../protocol/models.js';
import type { ModelClient } from '../providers/types.js';
import {
  ENVIRONMENT_CONTEXT_MARKER,
  environmentContextFor,
  environmentContextItem,
} from './environment-context.js';
import { buildPrompt, instructionsFor } from './prompt.js';
import { type SessionRecord, USER_SHELL } from './record.js';
import { assistantText, sampleResponse } from './sampling.js';
import type { TurnSettings } from './turn-context.js';

export const DEFAULT_COMPACT_PROMPT = `You are handing this task over to another agent who will continue it with none of this conversation. Write a handoff summary in plain text:
- the user's goal and any constraints or preferences they stated;
- what has been done so far, naming files changed and commands run, and what their results showed;
- decisions made and why;
- what is still open, including any error not yet fixed, and the concrete next steps.
Be specific and brief; include exact paths, identifiers and error messages that the next agent will need.`;

/** Marks the summary as such, so the model reading it knows it did not write the earlier turns itself. */
export const SUMMARY_PREFIX =
  'The conversation so far was compacted. Another model wrote this summary of the earlier work; continue from it:';

/** Recent user messages kept verbatim after compaction, newest first, up to this many characters. */
const USER_MESSAGE_BUDGET_CHARS = 80_000;

export function messageText(item: ResponseItem): string | undefined {
  if (item.type !== 'message') return undefined;
  return item.content
    .map((part) => (part.type === 'input_text' || part.type === 'output_text' ? part.text : ''))
    .join('');
}

/** The user's own messages: not the context we inject (environment, AGENTS.md) nor earlier summaries. */
export function collectUserMessages(history: readonly ResponseItem[]): string[] {
  const out: string[] = [];
  for (const item of history) {
    if (item.type !== 'message' || item.role !== 'user') continue;
    const text = messageText(item) ?? '';
    if (
      text.startsWith(ENVIRONMENT_CONTEXT_MARKER) ||
      text.startsWith(PROJECT_DOCS_MARKER) ||
      text.startsWith(SUMMARY_PREFIX)
    ) {
      continue;
    }
    out.push(text);
  }
  return out;
}

/** The request that asks for the summary: the whole history, then the compaction prompt. */
export function compactionRequest(history: readonly ResponseItem[], prompt: string): ResponseItem[] {
  return [...history, { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] }];
}

export function buildCompactedHistory(
  initialContext: readonly ResponseItem[],
  userMessages: readonly string[],
  summary: string,
  budgetChars = USER_MESSAGE_BUDGET_CHARS,
): ResponseItem[] {
  const kept: string[] = [];
  let remaining = budgetChars;
  for (let i = userMessages.length - 1; i >= 0 && remaining > 0; i--) {
    const text = userMessages[i];
    kept.unshift(text.length <= remaining ? text : text.slice(text.length - remaining));
    remaining -= text.length;
  }
  const user = (text: string): ResponseItem => ({
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text }],
  });
  return [...initialContext, ...kept.map(user), user(`${SUMMARY_PREFIX}\n${summary}`)];
}

/** The first developer message and the AGENTS.md message of `history`: kept through compaction. */
function keptContext(history: readonly ResponseItem[]): ResponseItem[] {
  const developer = history.filter((item) => item.type === 'message' && item.role === 'developer');
  const docs = history.filter(
    (item) =>
      item.type === 'message' &&
      item.role === 'user' &&
      item.content.some((part) => part.type === 'input_text' && part.text.startsWith(PROJECT_DOCS_MARKER)),
  );
  return [...developer.slice(0, 1), ...docs.slice(0, 1)];
}

/** Asks the model for a summary and replaces the session's history with the compacted one. */
export async function compactConversation(
  record: SessionRecord,
  client: ModelClient,
  config: Config,
  s: TurnSettings,
  signal: AbortSignal,
): Promise<void> {
  const prompt = buildPrompt({
    instructions: instructionsFor(config.baseInstructionsOverride),
    history: compactionRequest(record.history, config.compactPrompt ?? DEFAULT_COMPACT_PROMPT),
    tools: [],
    parallelToolCalls: false,
  });
  // The summary is internal: its deltas and items are not shown as agent messages.
  const response = await sampleResponse(
    client,
    prompt,
    { model: s.model, reasoningEffort: s.effort, reasoningSummary: s.summary, verbosity: s.verbosity },
    signal,
    () => {},
  );
  const summary = response.items
    .map((item) => assistantText(item) ?? '')
    .join('')
    .trim();
  if (!summary) throw new Error('compaction failed: the model returned no summary');
  const environment = environmentContextFor(s, USER_SHELL);
  const replacement = buildCompactedHistory(
    [...keptContext(record.history), environmentContextItem(environment)],
    collectUserMessages(record.history),
    summary,
  );
  record.replaceHistory(replacement, summary, environment, response.usage);
}
