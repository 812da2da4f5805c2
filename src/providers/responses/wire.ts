// The Responses API wire: body builder and stream parser bound to one session.
import type { ModelFamily } from '../../config/types.js';
import type { ModelTurnSettings, Prompt, ResponseEvent } from '../types.js';
import { usageFromResponses } from '../usage.js';
import type { StreamParser, Wire } from '../wire.js';
import { buildResponsesBody } from './body.js';
import { ResponsesStreamParser, toResponseItem } from './parser.js';

export class ResponsesWire implements Wire {
  readonly kind = 'responses';
  readonly endpoint = '/responses';

  constructor(private readonly ctx: { family: ModelFamily; sessionId: string; azure: boolean }) {}

  buildBody(prompt: Prompt, settings: ModelTurnSettings): string {
    return JSON.stringify(buildResponsesBody(prompt, settings, this.ctx));
  }

  createParser(): StreamParser {
    const parser = new ResponsesStreamParser();
    return {
      get done() {
        return parser.done;
      },
      canEndEarly: false,
      feed: (data, out) => parser.feed(data, out),
      finish: () => parser.finish(),
      feedWhole: (json, out) => feedWholeResponse(json, out),
    };
  }

  recover(): boolean {
    return false;
  }
}

/** A non-streamed Responses body `{id, output, usage}` as the events a stream would have produced. */
function feedWholeResponse(json: string, out: ResponseEvent[]): void {
  const response = JSON.parse(json) as { id?: unknown; output?: unknown; usage?: unknown };
  out.push({ type: 'created' });
  for (const raw of Array.isArray(response.output) ? response.output : []) {
    const item = toResponseItem(raw);
    if (item) out.push({ type: 'output_item_done', item });
  }
  out.push({
    type: 'completed',
    responseId: typeof response.id === 'string' ? response.id : '',
    usage: usageFromResponses(response.usage),
  });
}
