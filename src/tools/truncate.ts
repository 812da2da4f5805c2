// What the model sees of a command's output. Two policies, chosen per model family: bytes+lines (keep the
// first and last 128 lines within a byte budget, with an omitted-lines marker) and tokens (≈ 4 bytes per
// token, cut in the middle). Both add a `Total output lines: N` header when they cut, and never split a
// UTF-8 character. Pure functions; the shell tools format their results with them.

import type { ModelFamily, TruncationPolicy } from '../config/types.js';
import { utf8SafeEnd, utf8SafeStart } from '../exec/capture.js';
import type { ExecResult } from '../exec/types.js';

export const MAX_OUTPUT_LINES = 256;
export const HEAD_LINES = 128;
export const TAIL_LINES = 128;
export const BYTES_PER_TOKEN = 4;

/** What the capture knew beyond the text it kept (see CapturedOutput). */
export interface OutputStats {
  totalLines?: number;
  droppedBytes?: number;
}

export interface TruncatedOutput {
  body: string;
  truncated: boolean;
  totalLines: number;
}

/** `tool_output_token_limit` overrides the family's budget and keeps its mode (bytes = 4 per token). */
export function effectiveTruncationPolicy(
  family: ModelFamily,
  toolOutputTokenLimit?: number,
): TruncationPolicy {
  if (toolOutputTokenLimit === undefined) return family.truncationPolicy;
  return family.truncationPolicy.mode === 'bytes'
    ? { mode: 'bytes', limit: toolOutputTokenLimit * BYTES_PER_TOKEN }
    : { mode: 'tokens', limit: toolOutputTokenLimit };
}

export function approxTokens(bytes: number): number {
  return Math.ceil(bytes / BYTES_PER_TOKEN);
}

/** Longest prefix of at most `maxBytes` bytes that ends on a character boundary. */
function headBytes(buf: Buffer, maxBytes: number): Buffer {
  const cut = buf.subarray(0, Math.max(0, Math.min(buf.length, maxBytes)));
  return cut.length < buf.length ? cut.subarray(0, utf8SafeEnd(cut)) : cut;
}

/** Longest suffix of at most `maxBytes` bytes that starts on a character boundary. */
function tailBytes(buf: Buffer, maxBytes: number): Buffer {
  const cut = buf.subarray(Math.max(0, buf.length - Math.max(0, maxBytes)));
  return cut.length < buf.length ? cut.subarray(utf8SafeStart(cut)) : cut;
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/** Byte offsets where each line (newline included) starts. */
function lineStarts(buf: Buffer): number[] {
  const starts = [0];
  for (let i = buf.indexOf(0x0a); i !== -1 && i + 1 < buf.length; i = buf.indexOf(0x0a, i + 1))
    starts.push(i + 1);
  return buf.length === 0 ? [] : starts;
}

function truncateBytesAndLines(buf: Buffer, limit: number, totalLines: number): string {
  const starts = lineStarts(buf);
  const headTake = Math.min(HEAD_LINES, starts.length);
  const tailTake = Math.min(TAIL_LINES, starts.length - headTake);
  const omitted = totalLines - headTake - tailTake;
  const marker =
    omitted > 0
      ? `\n[... omitted ${omitted} of ${totalLines} lines ...]\n\n`
      : `\n[... output truncated to fit ${limit} bytes ...]\n\n`;
  const markerBytes = Buffer.byteLength(marker);
  const headBudget = Math.min(Math.floor(limit / 2), limit - markerBytes);
  // Lines omitted: head from the first 128 lines, tail from the last 128. Only bytes over: head and tail of
  // the whole text (the reference gives the head every line then, and so loses the tail, often the error).
  const byLines = omitted > 0 && tailTake > 0;
  const head = headBytes(buf.subarray(0, byLines ? starts[headTake] : buf.length), headBudget);
  const tailSource = byLines ? buf.subarray(starts[starts.length - tailTake]) : buf.subarray(head.length);
  const remaining = limit - head.length - markerBytes;
  const tail = remaining > 0 ? tailBytes(tailSource, remaining) : Buffer.alloc(0);
  return `${head.toString('utf8')}${marker}${tail.toString('utf8')}`;
}

function truncateTokens(buf: Buffer, limitTokens: number, droppedBytes: number): string {
  const budget = limitTokens * BYTES_PER_TOKEN;
  const head = headBytes(buf, Math.floor(budget / 2));
  const tail = tailBytes(buf.subarray(head.length), budget - Math.floor(budget / 2));
  const removed = buf.length + droppedBytes - head.length - tail.length;
  return `${head.toString('utf8')}…${approxTokens(removed)} tokens truncated…${tail.toString('utf8')}`;
}

/** Applies `policy` to `text`; `body` has no header (the callers place it). */
export function truncateOutputBody(
  text: string,
  policy: TruncationPolicy,
  stats: OutputStats = {},
): TruncatedOutput {
  const dropped = stats.droppedBytes ?? 0;
  const totalLines = Math.max(stats.totalLines ?? 0, countLines(text));
  const buf = Buffer.from(text, 'utf8');
  const totalBytes = buf.length + dropped;
  if (policy.mode === 'bytes') {
    if (totalBytes <= policy.limit && totalLines <= MAX_OUTPUT_LINES)
      return { body: text, truncated: false, totalLines };
    return { body: truncateBytesAndLines(buf, policy.limit, totalLines), truncated: true, totalLines };
  }
  if (approxTokens(totalBytes) <= policy.limit) return { body: text, truncated: false, totalLines };
  return { body: truncateTokens(buf, policy.limit, dropped), truncated: true, totalLines };
}

/** The truncated text with the `Total output lines: N` header when something was cut. */
export function truncateForModel(text: string, policy: TruncationPolicy, stats: OutputStats = {}): string {
  const { body, truncated, totalLines } = truncateOutputBody(text, policy, stats);
  return truncated ? `Total output lines: ${totalLines}\n\n${body}` : body;
}

export interface ShellOutputOptions {
  /** The timeout that fired, for the `command timed out after N milliseconds` line (default: the duration). */
  timeoutMs?: number;
}

function outputText(result: ExecResult, opts: ShellOutputOptions): string {
  const text = result.aggregated.text;
  if (!result.timedOut) return text;
  const ms = Math.round(opts.timeoutMs ?? result.durationMs);
  return `command timed out after ${ms} milliseconds\n${text}`;
}

function stats(result: ExecResult): OutputStats {
  return { totalLines: result.aggregated.totalLines, droppedBytes: result.aggregated.droppedBytes };
}

function durationSeconds(result: ExecResult): string {
  return (Math.round(result.durationMs / 100) / 10).toFixed(1);
}

/** The shell tool's result for the model: `{"output":…,"metadata":{"exit_code":n,"duration_seconds":x.x}}`. */
export function formatShellToolOutput(
  result: ExecResult,
  policy: TruncationPolicy,
  opts: ShellOutputOptions = {},
): string {
  const output = truncateForModel(outputText(result, opts), policy, stats(result));
  // Built by hand so the duration keeps its `.0` (JSON.stringify writes 1.0 as 1), as the reference's does.
  return `{"output":${JSON.stringify(output)},"metadata":{"exit_code":${result.exitCode},"duration_seconds":${durationSeconds(result)}}}`;
}

/** The plain-text form used when the freeform apply_patch tool is present. */
export function formatShellToolOutputText(
  result: ExecResult,
  policy: TruncationPolicy,
  opts: ShellOutputOptions = {},
): string {
  const { body, truncated, totalLines } = truncateOutputBody(outputText(result, opts), policy, stats(result));
  const sections = [`Exit code: ${result.exitCode}`, `Wall time: ${durationSeconds(result)} seconds`];
  if (truncated) sections.push(`Total output lines: ${totalLines}`);
  sections.push('Output:', body);
  return sections.join('\n');
}
