// What we know about a model from its slug: context window, output limit, reasoning summaries, how it gets
// apply_patch, parallel tool calls, and how tool output is truncated for it. Unknown slugs (most self-hosted
// models) pass through with conservative defaults; config keys override the two that users most often know
// better than us.

import type { ModelFamily, TruncationPolicy } from './types.js';

const BYTES_10K: TruncationPolicy = { mode: 'bytes', limit: 10_000 };
const TOKENS_10K: TruncationPolicy = { mode: 'tokens', limit: 10_000 };

interface FamilyRule {
  /** Matches the slug's start (after any `vendor/` prefix such as `openai/gpt-oss-20b`). */
  prefix: string;
  family: Omit<ModelFamily, 'slug'>;
}

const GPT5_CODEX: Omit<ModelFamily, 'slug'> = {
  family: 'gpt-5-codex',
  contextWindow: 272_000,
  maxOutputTokens: 128_000,
  supportsReasoningSummaries: true,
  supportsVerbosity: false,
  applyPatchToolType: 'freeform',
  supportsParallelToolCalls: false,
  truncationPolicy: TOKENS_10K,
};

const O_SERIES: Omit<ModelFamily, 'slug'> = {
  family: 'o-series',
  contextWindow: 200_000,
  maxOutputTokens: 100_000,
  supportsReasoningSummaries: true,
  supportsVerbosity: false,
  applyPatchToolType: 'function',
  supportsParallelToolCalls: false,
  truncationPolicy: BYTES_10K,
};

// Ordered: the first matching prefix wins, so longer prefixes come first.
const RULES: FamilyRule[] = [
  { prefix: 'gpt-5.1-codex', family: { ...GPT5_CODEX, family: 'gpt-5.1-codex' } },
  { prefix: 'gpt-5-codex', family: GPT5_CODEX },
  { prefix: 'codex-', family: { ...GPT5_CODEX, family: 'codex' } },
  {
    prefix: 'gpt-5',
    family: {
      family: 'gpt-5',
      contextWindow: 272_000,
      maxOutputTokens: 128_000,
      supportsReasoningSummaries: true,
      supportsVerbosity: true,
      applyPatchToolType: 'freeform',
      supportsParallelToolCalls: false,
      truncationPolicy: BYTES_10K,
    },
  },
  { prefix: 'o3', family: { ...O_SERIES, family: 'o3' } },
  { prefix: 'o4-mini', family: { ...O_SERIES, family: 'o4-mini' } },
  {
    prefix: 'gpt-4.1',
    family: {
      family: 'gpt-4.1',
      contextWindow: 1_047_576,
      maxOutputTokens: 32_768,
      supportsReasoningSummaries: false,
      supportsVerbosity: false,
      applyPatchToolType: 'function',
      supportsParallelToolCalls: true,
      truncationPolicy: BYTES_10K,
    },
  },
  {
    prefix: 'gpt-4o',
    family: {
      family: 'gpt-4o',
      contextWindow: 128_000,
      maxOutputTokens: 16_384,
      supportsReasoningSummaries: false,
      supportsVerbosity: false,
      applyPatchToolType: 'function',
      supportsParallelToolCalls: true,
      truncationPolicy: BYTES_10K,
    },
  },
  {
    prefix: 'gpt-oss',
    family: {
      family: 'gpt-oss',
      contextWindow: 131_072,
      maxOutputTokens: 32_768,
      supportsReasoningSummaries: false,
      supportsVerbosity: false,
      applyPatchToolType: 'function',
      supportsParallelToolCalls: false,
      truncationPolicy: BYTES_10K,
    },
  },
];

/** No context window: we do not guess one, so auto-compaction stays off unless configured. */
const UNKNOWN: Omit<ModelFamily, 'slug'> = {
  family: 'unknown',
  supportsReasoningSummaries: false,
  supportsVerbosity: false,
  applyPatchToolType: 'function',
  supportsParallelToolCalls: false,
  truncationPolicy: BYTES_10K,
};

export interface ModelFamilyOverrides {
  supportsReasoningSummaries?: boolean;
  contextWindow?: number;
  maxOutputTokens?: number;
  toolOutputTokenLimit?: number;
}

export function findModelFamily(slug: string, overrides: ModelFamilyOverrides = {}): ModelFamily {
  const bare = slug.slice(slug.lastIndexOf('/') + 1).toLowerCase();
  const base = RULES.find((rule) => bare.startsWith(rule.prefix))?.family ?? UNKNOWN;
  return {
    ...base,
    slug,
    supportsReasoningSummaries: overrides.supportsReasoningSummaries ?? base.supportsReasoningSummaries,
    contextWindow: overrides.contextWindow ?? base.contextWindow,
    maxOutputTokens: overrides.maxOutputTokens ?? base.maxOutputTokens,
    truncationPolicy:
      overrides.toolOutputTokenLimit !== undefined
        ? { mode: 'tokens', limit: overrides.toolOutputTokenLimit }
        : base.truncationPolicy,
  };
}

/** Compaction triggers at 90% of the window unless `model_auto_compact_token_limit` says otherwise. */
export function defaultAutoCompactLimit(family: ModelFamily): number | undefined {
  return family.contextWindow === undefined ? undefined : Math.floor(family.contextWindow * 0.9);
}
