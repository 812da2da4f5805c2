// Token accounting beyond what the server reports. Servers that report no usage (most Chat Completions
// backends) get an estimate from the history size, so automatic compaction still fires for them. Summing
// reported usage is the provider layer's (providers/usage.ts).

import type { ResponseItem } from '../protocol/models.js';

/** Roughly 4 bytes of JSON per token: good enough to decide when to compact, never billed. */
export function estimateTokens(items: readonly ResponseItem[]): number {
  let bytes = 0;
  for (const item of items) bytes += JSON.stringify(item).length;
  return Math.ceil(bytes / 4);
}
