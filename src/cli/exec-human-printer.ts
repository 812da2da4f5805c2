// The text log of `conduit exec` as it happens: events formatted by exec-human.ts, plus what needs state
// across events: command output streamed live as the command writes it, a quiet "waiting for the model…"
// line on a terminal when nothing has happened for a while, and the token usage once the turn ends.

import { StringDecoder } from 'node:string_decoder';
import type { Event, TokenUsage } from '../index.js';
import { formatHumanEvent, type Palette } from './exec-human.js';

export interface PrinterSink {
  write(text: string): void;
  /** Only a terminal gets the waiting indicator (it is rewritten in place). */
  isTTY: boolean;
}

export const WAITING_TEXT = 'waiting for the model…';
const CLEAR_LINE = '\r\x1b[K';

export function formatUsageLine(usage: TokenUsage): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const cached = usage.cached_input_tokens ? `, cached ${n(usage.cached_input_tokens)}` : '';
  const total = usage.total_tokens || usage.input_tokens + usage.output_tokens;
  return `tokens used: ${n(total)} (input ${n(usage.input_tokens)}${cached}, output ${n(usage.output_tokens)})`;
}

export class HumanPrinter {
  private readonly liveOutput = new Map<string, { decoder: StringDecoder; endsLine: boolean }>();
  /** Tool calls running now: while one runs, silence is the tool's, not the model's. */
  private readonly busy = new Set<string>();
  private turnActive = false;
  private usage: TokenUsage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private indicatorShown = false;

  constructor(
    private readonly sink: PrinterSink,
    private readonly palette: Palette,
    private readonly version: string,
    private readonly waitingAfterMs = 1000,
  ) {}

  handle(event: Event): void {
    const msg = event.msg;
    this.clearIndicator();
    switch (msg.type) {
      case 'task_started':
        this.turnActive = true;
        break;
      case 'exec_command_begin':
      case 'mcp_tool_call_begin':
      case 'patch_apply_begin':
        this.busy.add(msg.call_id);
        break;
      case 'exec_command_end':
      case 'mcp_tool_call_end':
      case 'patch_apply_end':
        this.busy.delete(msg.call_id);
        break;
      case 'token_count':
        this.usage = msg.info.total_token_usage;
        break;
    }
    if (msg.type === 'exec_command_output_delta') {
      this.streamOutput(msg.call_id, msg.chunk);
    } else if (msg.type === 'exec_command_end' && this.liveOutput.has(msg.call_id)) {
      const live = this.liveOutput.get(msg.call_id);
      this.liveOutput.delete(msg.call_id);
      const rest = live?.decoder.end() ?? '';
      if (rest) this.sink.write(this.palette.dim(rest));
      if (!(rest ? rest.endsWith('\n') : live?.endsLine)) this.sink.write('\n');
      // The output was shown as it came; only the outcome line is left to print.
      const outcome = { ...event, msg: { ...msg, aggregated_output: '' } };
      this.line(formatHumanEvent(outcome, this.palette, this.version));
    } else {
      this.line(formatHumanEvent(event, this.palette, this.version));
    }
    if (msg.type === 'task_complete' || msg.type === 'turn_aborted') {
      this.turnActive = false;
      if (this.usage) this.line(this.palette.dim(formatUsageLine(this.usage)));
    }
    this.armIndicator();
  }

  /** Stops the indicator timer (the process can exit). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.clearIndicator();
  }

  private line(text: string | undefined): void {
    if (text !== undefined) this.sink.write(`${text}\n`);
  }

  private streamOutput(callId: string, chunk: string): void {
    let live = this.liveOutput.get(callId);
    if (!live) {
      live = { decoder: new StringDecoder('utf8'), endsLine: true };
      this.liveOutput.set(callId, live);
    }
    const text = live.decoder.write(Buffer.from(chunk, 'base64'));
    if (!text) return;
    live.endsLine = text.endsWith('\n');
    this.sink.write(this.palette.dim(text));
  }

  private armIndicator(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.sink.isTTY || !this.turnActive || this.busy.size > 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.indicatorShown = true;
      this.sink.write(this.palette.dim(WAITING_TEXT));
    }, this.waitingAfterMs);
    this.timer.unref();
  }

  private clearIndicator(): void {
    if (!this.indicatorShown) return;
    this.indicatorShown = false;
    this.sink.write(CLEAR_LINE);
  }
}
