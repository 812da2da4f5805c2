// Form elicitation defaults (SEP-1034): a field the user left out of an accepted form takes the default
// its schema declares, so a front end that only shows the form (or an answer that only confirms) still
// returns the values the server proposed.

import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/sdk/types.js';

export function applyElicitationDefaults(
  params: ElicitRequest['params'],
  result: ElicitResult,
): ElicitResult {
  if (result.action !== 'accept') return result;
  const schema = 'requestedSchema' in params ? params.requestedSchema : undefined;
  const properties = schema?.properties;
  if (!properties) return result;
  const content: NonNullable<ElicitResult['content']> = { ...(result.content ?? {}) };
  let changed = false;
  for (const [key, property] of Object.entries(properties)) {
    const fallback = (property as { default?: unknown }).default;
    if (content[key] !== undefined || fallback === undefined) continue;
    content[key] = fallback as (typeof content)[string];
    changed = true;
  }
  return changed ? { ...result, content } : result;
}
