// Per-backend differences of Chat Completions servers, in one place. A provider picks a profile with
// `quirks = "<id>"` in its [model_providers.*] table; `auto` (the default) detects it from base_url.
// The stream assembler reads every known field whatever the profile, so profiles only decide what we SEND.
// Besides the profile, the client learns at run time: it replays reasoning under the field name the server
// itself streamed, and drops `stream_options` for the rest of the session once a server rejects it.
import { ConfigError } from '../config/errors.js';
import type { ModelProviderInfo } from '../config/types.js';

export type ReasoningField = 'reasoning' | 'reasoning_content';

export interface ChatQuirks {
  id: string;
  /**
   * Field under which an assistant message carries its reasoning back to the server. DeepSeek (thinking
   * mode) rejects a tool-call turn without `reasoning_content`; Ollama and OpenRouter use `reasoning`.
   */
  reasoningField: ReasoningField;
  /** Ask for a final usage chunk with `stream_options: {include_usage: true}`. */
  streamUsage: boolean;
  /** Role sent for `developer` messages: many chat templates only know system/user/assistant/tool. */
  developerRole: 'developer' | 'system';
  /** Send `reasoning_effort` (OpenAI's reasoning models accept it; most others reject unknown fields). */
  reasoningEffort: boolean;
}

const PROFILES = {
  generic: {
    reasoningField: 'reasoning_content',
    streamUsage: true,
    developerRole: 'system',
    reasoningEffort: false,
  },
  openai: {
    reasoningField: 'reasoning',
    streamUsage: true,
    developerRole: 'developer',
    reasoningEffort: true,
  },
  deepseek: {
    reasoningField: 'reasoning_content',
    streamUsage: true,
    developerRole: 'system',
    reasoningEffort: false,
  },
  vllm: {
    reasoningField: 'reasoning_content',
    streamUsage: true,
    developerRole: 'system',
    reasoningEffort: false,
  },
  ollama: { reasoningField: 'reasoning', streamUsage: true, developerRole: 'system', reasoningEffort: false },
  lmstudio: {
    reasoningField: 'reasoning_content',
    streamUsage: true,
    developerRole: 'system',
    reasoningEffort: false,
  },
  llamacpp: {
    reasoningField: 'reasoning_content',
    streamUsage: true,
    developerRole: 'system',
    reasoningEffort: false,
  },
  openrouter: {
    reasoningField: 'reasoning',
    streamUsage: true,
    developerRole: 'system',
    reasoningEffort: true,
  },
} satisfies Record<string, Omit<ChatQuirks, 'id'>>;

export type QuirkProfileId = keyof typeof PROFILES;
export const QUIRK_PROFILE_IDS = Object.keys(PROFILES) as QuirkProfileId[];

/** base_url fragments that identify a backend; first match wins. */
const DETECTORS: [RegExp, QuirkProfileId][] = [
  [/\/\/api\.openai\.com/i, 'openai'],
  [/deepseek\.com/i, 'deepseek'],
  [/openrouter\.ai/i, 'openrouter'],
  [/ollama|:11434\b/i, 'ollama'],
  [/lmstudio|lm-studio|:1234\b/i, 'lmstudio'],
  [/llama\.?cpp|llama-server/i, 'llamacpp'],
  [/vllm/i, 'vllm'],
];

export function detectQuirkProfile(baseUrl: string): QuirkProfileId {
  return DETECTORS.find(([re]) => re.test(baseUrl))?.[1] ?? 'generic';
}

export function resolveChatQuirks(provider: ModelProviderInfo): ChatQuirks {
  const wanted = provider.quirks ?? 'auto';
  const id = wanted === 'auto' ? detectQuirkProfile(provider.baseUrl) : wanted;
  if (!(id in PROFILES)) {
    throw new ConfigError(
      `model_providers.${provider.id}.quirks: unknown profile "${wanted}" (expected auto, ${QUIRK_PROFILE_IDS.join(', ')})`,
    );
  }
  return { id, ...PROFILES[id as QuirkProfileId] };
}
