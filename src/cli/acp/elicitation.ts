// MCP servers asking the user for input (elicitation) go to the editor as `elicitation/create` when it
// declared the matching mode (form or url). Whatever happens the server gets an answer: the editor's
// accept/decline/cancel, a decline when it cannot ask (the mode is not supported, or the request failed),
// and a cancel when the turn was cancelled while the question was open.

import type {
  AgentContext,
  ClientCapabilities,
  CreateElicitationRequest,
  ElicitationSchema,
} from '@agentclientprotocol/sdk';
import type { EventMsg, Op } from '../../index.js';

type ElicitationEvent = Extract<EventMsg, { type: 'elicitation_request' }>;
type ElicitationAnswer = Extract<Op, { type: 'elicitation_response' }>;

/** True when the editor can ask the user anything (the session then forwards MCP elicitation). */
export function canElicit(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation;
  return Boolean(elicitation?.form || elicitation?.url);
}

/** The editor's request for an event; undefined when the editor lacks that mode. */
export function elicitationRequest(
  msg: ElicitationEvent,
  sessionId: string,
  capabilities: ClientCapabilities | undefined,
): CreateElicitationRequest | undefined {
  const message = `${msg.server}: ${msg.message}`;
  if (msg.url !== undefined) {
    if (!capabilities?.elicitation?.url) return undefined;
    return { mode: 'url', sessionId, message, elicitationId: msg.id, url: msg.url };
  }
  if (!capabilities?.elicitation?.form) return undefined;
  const requestedSchema = (msg.requested_schema ?? { type: 'object', properties: {} }) as ElicitationSchema;
  return { mode: 'form', sessionId, message, requestedSchema };
}

/** Asks the editor and returns the op that answers the server (never throws). */
export async function askEditor(
  client: AgentContext,
  msg: ElicitationEvent,
  sessionId: string,
  capabilities: ClientCapabilities | undefined,
  signal: AbortSignal | undefined,
): Promise<{ answer: ElicitationAnswer; problem?: string }> {
  const decline: ElicitationAnswer = { type: 'elicitation_response', id: msg.id, action: 'decline' };
  const request = elicitationRequest(msg, sessionId, capabilities);
  if (!request) {
    const mode = msg.url !== undefined ? 'url' : 'form';
    return { answer: decline, problem: `the editor does not support ${mode} elicitation` };
  }
  try {
    const response = await client.request('elicitation/create', request, {
      cancellationSignal: signal,
      stopWaitingOnCancel: true,
    });
    if (response.action === 'accept') {
      const content = ('content' in response ? response.content : undefined) as ElicitationAnswer['content'];
      return { answer: { ...decline, action: 'accept', content: content ?? {} } };
    }
    if (response.action === 'cancel') return { answer: { ...decline, action: 'cancel' } };
    return { answer: decline };
  } catch (err) {
    if (signal?.aborted) return { answer: { ...decline, action: 'cancel' } };
    const message = err instanceof Error ? err.message : String(err);
    return { answer: decline, problem: `the elicitation request failed (${message})` };
  }
}
