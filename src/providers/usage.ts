// Token accounting: each wire's usage object mapped to TokenUsage, and the per-session sum.
import type { TokenUsage } from '../protocol/models.js';

type Json = Record<string, unknown> | undefined | null;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

/** Responses `usage` (input_tokens, input_tokens_details.cached_tokens, …); undefined when absent. */
export function usageFromResponses(usage: unknown): TokenUsage | undefined {
  const u = obj(usage);
  if (!u) return undefined;
  const input = num(u.input_tokens);
  const output = num(u.output_tokens);
  return {
    input_tokens: input,
    cached_input_tokens: num(obj(u.input_tokens_details)?.cached_tokens),
    output_tokens: output,
    reasoning_output_tokens: num(obj(u.output_tokens_details)?.reasoning_tokens),
    total_tokens: num(u.total_tokens) || input + output,
  };
}

/** Chat Completions `usage` (prompt_tokens, completion_tokens, …); undefined when absent. */
export function usageFromChat(usage: unknown): TokenUsage | undefined {
  const u = obj(usage);
  if (!u) return undefined;
  const input = num(u.prompt_tokens);
  const output = num(u.completion_tokens);
  return {
    input_tokens: input,
    // DeepSeek reports cache hits as prompt_cache_hit_tokens instead of prompt_tokens_details.
    cached_input_tokens: num(obj(u.prompt_tokens_details)?.cached_tokens) || num(u.prompt_cache_hit_tokens),
    output_tokens: output,
    reasoning_output_tokens: num(obj(u.completion_tokens_details)?.reasoning_tokens),
    total_tokens: num(u.total_tokens) || input + output,
  };
}

export function emptyTokenUsage(): TokenUsage {
  return {
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
    total_tokens: 0,
  };
}

export function addTokenUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_output_tokens: a.reasoning_output_tokens + b.reasoning_output_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}

/** A session's token counts: the running total and the last response's usage. */
export class SessionTokenUsage {
  total: TokenUsage = emptyTokenUsage();
  last: TokenUsage | undefined;

  record(usage: TokenUsage | undefined): void {
    if (!usage) return;
    this.last = usage;
    this.total = addTokenUsage(this.total, usage);
  }
}
