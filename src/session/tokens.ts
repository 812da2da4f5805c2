// Token accounting: the usage the server reports per response, summed per session. Servers that report no
// usage (most Chat Completions backends) get an estimate from the history size, so automatic compaction
// still fires for them.

import type { ResponseItem, TokenUsage } from '../providers/types.js';

export function zeroUsage(): TokenUsage {
  return {
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
    total_tokens: 0,
  };
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_output_tokens: a.reasoning_output_tokens + b.reasoning_output_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}

/** Roughly 4 bytes of JSON per token: good enough to decide when to compact, never billed. */
export function estimateTokens(items: readonly ResponseItem[]): number {
  let bytes = 0;
  for (const item of items) bytes += JSON.stringify(item).length;
  return Math.ceil(bytes / 4);
}
