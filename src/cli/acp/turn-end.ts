// How a turn ends for the editor. An answer the server cut short (the core keeps it and warns, naming the
// server's reason) is a `max_tokens` or `refusal` stop. A failure is an error message: an output limit or a
// refusal there is a stop too; anything else answers the prompt with a JSON-RPC error carrying the message
// (auth_required when the provider wants a key).

import { RequestError, type StopReason } from '@agentclientprotocol/sdk';

const MAX_TOKENS = /max_output_tokens|max_tokens|length limit|finish_reason "length"/i;
const REFUSAL = /content_filter|content filter|refus/i;
const AUTH = /needs an API key|\b401\b|unauthori[sz]ed|invalid api key|incorrect api key/i;

export function turnErrorOutcome(message: string): { stopReason: StopReason } | { error: RequestError } {
  if (MAX_TOKENS.test(message)) return { stopReason: 'max_tokens' };
  if (REFUSAL.test(message)) return { stopReason: 'refusal' };
  if (AUTH.test(message)) return { error: RequestError.authRequired({ message }, message) };
  return { error: RequestError.internalError({ message }, message) };
}

/** The stop reason a core warning stands for, when it says the model's answer was cut short. */
export function truncationStopReason(warning: string): StopReason | undefined {
  if (!/answer was cut short/.test(warning)) return undefined;
  if (REFUSAL.test(warning)) return 'refusal';
  return 'max_tokens';
}
