// The Chat Completions wire: body builder and stream assembler bound to one session, plus what it learns
// about the server as it goes (the reasoning field it streams, whether it accepts stream_options).
import { randomUUID } from 'node:crypto';
import type { ModelFamily } from '../../config/types.js';
import type { ChatQuirks, ReasoningField } from '../quirks.js';
import type { ModelTurnSettings, Prompt } from '../types.js';
import type { StreamParser, Wire } from '../wire.js';
import { ChatStreamAssembler } from './assembler.js';
import { buildChatMessages, buildChatTools } from './messages.js';

export class ChatWire implements Wire {
  readonly kind = 'chat';
  readonly endpoint = '/chat/completions';
  /** Whether requests ask for a usage chunk; turned off when the server rejects `stream_options`. */
  streamUsage: boolean;
  private observed: ReasoningField | undefined;
  private customToolNames: ReadonlySet<string> = new Set();
  private lastAssembler: ChatStreamAssembler | undefined;

  constructor(
    readonly quirks: ChatQuirks,
    private readonly family: ModelFamily,
  ) {
    this.streamUsage = quirks.streamUsage;
  }

  buildBody(prompt: Prompt, settings: ModelTurnSettings): string {
    this.learn();
    const reasoningField = this.observed ?? this.quirks.reasoningField;
    const messages = buildChatMessages(prompt.instructions, prompt.input, {
      reasoningField,
      developerRole: this.quirks.developerRole,
    });
    const { tools, customToolNames } = buildChatTools(prompt.tools);
    this.customToolNames = customToolNames;
    const effort = settings.reasoningEffort ?? this.family.defaultReasoningEffort;
    return JSON.stringify({
      model: settings.model,
      messages,
      stream: true,
      ...(this.streamUsage ? { stream_options: { include_usage: true } } : {}),
      // Some servers reject an empty tools array; none needs it.
      ...(tools.length ? { tools } : {}),
      ...(this.quirks.reasoningEffort && effort ? { reasoning_effort: effort } : {}),
      ...(prompt.outputSchema
        ? {
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'codex_output_schema', strict: true, schema: prompt.outputSchema },
            },
          }
        : {}),
    });
  }

  createParser(): StreamParser {
    this.learn();
    const assembler = new ChatStreamAssembler({
      customToolNames: this.customToolNames,
      callIdPrefix: `call_${randomUUID().slice(0, 8)}_`,
    });
    this.lastAssembler = assembler;
    return {
      get done() {
        return assembler.done;
      },
      get canEndEarly() {
        return assembler.finishReason !== undefined;
      },
      feed: (data, out) => assembler.feed(data, out),
      finish: (out) => assembler.finish(out),
      feedWhole: (json, out) => {
        assembler.feed(json, out);
        assembler.finish(out);
      },
    };
  }

  recover(status: number, bodyText: string): boolean {
    if (
      this.streamUsage &&
      (status === 400 || status === 422) &&
      /stream_options|include_usage/i.test(bodyText)
    ) {
      this.streamUsage = false;
      return true;
    }
    return false;
  }

  /** The reasoning field the server was seen streaming; reasoning is replayed under that name. */
  get observedReasoningField(): ReasoningField | undefined {
    this.learn();
    return this.observed;
  }

  private learn(): void {
    const seen = this.lastAssembler?.reasoningField;
    if (seen) this.observed = seen;
  }
}
