// How a failed turn ends for the editor. The core reports a failure as an error message; a model that hit
// its output limit or refused is a normal stop (`max_tokens`, `refusal`), anything else answers the prompt
// with a JSON-RPC error carrying the message (auth_required when the provider wants a key).

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
