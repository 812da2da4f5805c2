// The Responses API request body (codex-reference §3): stateless, the full history every time.
import type { ModelFamily } from '../../config/types.js';
import type { ResponseItem } from '../../protocol/models.js';
import type { ModelTurnSettings, Prompt } from '../types.js';

export interface ResponsesBodyContext {
  family: ModelFamily;
  sessionId: string;
  /** Azure keeps state (`store: true`) and needs the original item ids. */
  azure: boolean;
}

export function buildResponsesBody(
  prompt: Prompt,
  settings: ModelTurnSettings,
  ctx: ResponsesBodyContext,
): Record<string, unknown> {
  const effort = settings.reasoningEffort ?? ctx.family.defaultReasoningEffort;
  const reasoning = ctx.family.supportsReasoningSummaries
    ? { ...(effort ? { effort } : {}), summary: settings.reasoningSummary ?? 'auto' }
    : undefined;
  const verbosity = ctx.family.supportsVerbosity ? settings.verbosity : undefined;
  const text =
    verbosity || prompt.outputSchema
      ? {
          ...(verbosity ? { verbosity } : {}),
          ...(prompt.outputSchema
            ? {
                format: {
                  type: 'json_schema',
                  strict: true,
                  schema: prompt.outputSchema,
                  name: 'codex_output_schema',
                },
              }
            : {}),
        }
      : undefined;
  return {
    model: settings.model,
    instructions: prompt.instructions,
    input: ctx.azure ? prompt.input : prompt.input.map(withoutId),
    tools: prompt.tools,
    tool_choice: 'auto',
    parallel_tool_calls: prompt.parallelToolCalls,
    ...(reasoning ? { reasoning } : {}),
    store: ctx.azure,
    stream: true,
    include: reasoning ? ['reasoning.encrypted_content'] : [],
    prompt_cache_key: ctx.sessionId,
    ...(text ? { text } : {}),
  };
}

function withoutId(item: ResponseItem): ResponseItem {
  if (!('id' in item) || item.id === undefined) return item;
  const { id: _id, ...rest } = item;
  return rest as ResponseItem;
}
