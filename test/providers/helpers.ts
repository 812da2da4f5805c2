// Hand-built config values for provider tests (the config loader is another issue's), and a collector.
import type { ModelFamily, ModelProviderInfo } from '../../src/config/types.js';
import { createModelClient, type ModelClientOptions } from '../../src/providers/index.js';
import type { Prompt, ResponseEvent } from '../../src/providers/types.js';

export function makeProvider(overrides: Partial<ModelProviderInfo> = {}): ModelProviderInfo {
  return {
    id: 'fake',
    name: 'Fake',
    baseUrl: 'http://127.0.0.1:1/v1',
    wireApi: 'chat',
    httpHeaders: {},
    envHttpHeaders: {},
    queryParams: {},
    requestMaxRetries: 4,
    streamMaxRetries: 5,
    streamIdleTimeoutMs: 300_000,
    requiresOpenaiAuth: false,
    ...overrides,
  };
}

export function makeFamily(overrides: Partial<ModelFamily> = {}): ModelFamily {
  return {
    slug: 'fake-model',
    family: 'unknown',
    supportsReasoningSummaries: false,
    supportsVerbosity: false,
    applyPatchToolType: 'function',
    supportsParallelToolCalls: false,
    truncationPolicy: { mode: 'bytes', limit: 10_240 },
    ...overrides,
  };
}

export function makePrompt(overrides: Partial<Prompt> = {}): Prompt {
  return {
    instructions: 'You are a test.',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }],
    tools: [],
    parallelToolCalls: false,
    ...overrides,
  };
}

export function client(provider: ModelProviderInfo, options: Partial<ModelClientOptions> = {}) {
  return createModelClient(provider, { sessionId: 'sess-1', family: makeFamily(), ...options });
}

/** Runs one stream to the end; returns its events, or the error it threw alongside the events before it. */
export async function run(
  stream: AsyncIterable<ResponseEvent>,
): Promise<{ events: ResponseEvent[]; error?: Error & { kind?: string } }> {
  const events: ResponseEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error: error as Error };
  }
}

export const doneItems = (events: ResponseEvent[]) =>
  events.flatMap((e) => (e.type === 'output_item_done' ? [e.item] : []));

export const textOf = (events: ResponseEvent[]) =>
  events.flatMap((e) => (e.type === 'output_text_delta' ? [e.delta] : [])).join('');
