// Output capture in bounded memory: the first `headLimit` bytes and the last `tailLimit` bytes of a stream,
// plus counts of everything seen. A command printing gigabytes costs no more than the two buffers.

import type { CapturedOutput } from './types.js';

/** Per-capture head and tail sizes: far above what the model ever sees, small enough to keep three per call. */
export const CAPTURE_HEAD_BYTES = 1024 * 1024;
export const CAPTURE_TAIL_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

/** Counts `\n` bytes. A plain loop: indexOf-based counting is fast on sparse newlines but far slower on `yes`. */
export function countNewlines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] === NEWLINE) n++;
  return n;
}

export class BoundedCapture {
  // Both buffers fill lazily: most commands print a few lines, and zero-filling megabytes per call would
  // cost more than the spawn itself.
  private readonly headChunks: Buffer[] = [];
  private headLen = 0;
  /** Ring buffer of the most recent bytes after the head filled up; allocated on first overflow. */
  private tail: Buffer | undefined;
  private tailStart = 0;
  private tailLen = 0;
  private total = 0;
  private newlines = 0;
  private lastByte = -1;

  constructor(
    private readonly headLimit = CAPTURE_HEAD_BYTES,
    private readonly tailLimit = CAPTURE_TAIL_BYTES,
  ) {}

  /** `newlines` lets the caller count once for a chunk that goes to two captures (stream and aggregated). */
  push(chunk: Buffer, newlines = countNewlines(chunk)): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    this.newlines += newlines;
    this.lastByte = chunk[chunk.length - 1];
    let rest = chunk;
    if (this.headLen < this.headLimit) {
      const n = Math.min(rest.length, this.headLimit - this.headLen);
      this.headChunks.push(Buffer.from(rest.subarray(0, n))); // a copy: the chunk's memory is not ours to keep
      this.headLen += n;
      rest = rest.subarray(n);
    }
    if (rest.length > 0) this.pushTail(rest);
  }

  private pushTail(bytes: Buffer): void {
    const cap = this.tailLimit;
    if (cap === 0) return;
    this.tail ??= Buffer.allocUnsafe(cap); // only the first tailLen bytes from tailStart are ever read
    if (bytes.length >= cap) {
      bytes.copy(this.tail, 0, bytes.length - cap);
      this.tailStart = 0;
      this.tailLen = cap;
      return;
    }
    const writeAt = (this.tailStart + this.tailLen) % cap;
    const first = Math.min(bytes.length, cap - writeAt);
    bytes.copy(this.tail, writeAt, 0, first);
    if (first < bytes.length) bytes.copy(this.tail, 0, first);
    const overflow = this.tailLen + bytes.length - cap;
    if (overflow > 0) {
      this.tailStart = (this.tailStart + overflow) % cap;
      this.tailLen = cap;
    } else {
      this.tailLen += bytes.length;
    }
  }

  private tailBytes(): Buffer {
    if (!this.tail) return Buffer.alloc(0);
    const cap = this.tailLimit;
    const end = this.tailStart + this.tailLen;
    if (end <= cap) return this.tail.subarray(this.tailStart, end);
    return Buffer.concat([this.tail.subarray(this.tailStart), this.tail.subarray(0, end - cap)]);
  }

  get totalBytes(): number {
    return this.total;
  }

  result(): CapturedOutput {
    const dropped = this.total - this.headLen - this.tailLen;
    const totalLines = this.newlines + (this.total > 0 && this.lastByte !== NEWLINE ? 1 : 0);
    let head = Buffer.concat(this.headChunks, this.headLen);
    let tail = this.tailBytes();
    if (dropped > 0) {
      // The cut points are arbitrary bytes: trim to whole UTF-8 characters on both sides of the gap.
      head = head.subarray(0, utf8SafeEnd(head));
      tail = tail.subarray(utf8SafeStart(tail));
    }
    return {
      text: Buffer.concat([head, tail]).toString('utf8'),
      totalBytes: this.total,
      droppedBytes: this.total - head.length - tail.length,
      totalLines,
    };
  }
}

/** Length of the longest prefix of `buf` that does not end inside a multi-byte UTF-8 sequence. */
export function utf8SafeEnd(buf: Uint8Array): number {
  let i = buf.length;
  // Walk back over at most 3 continuation bytes to the lead byte of the last character.
  let k = 0;
  while (k < 3 && i - k - 1 >= 0 && (buf[i - k - 1] & 0xc0) === 0x80) k++;
  const leadAt = i - k - 1;
  if (leadAt < 0) return i - k;
  const lead = buf[leadAt];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (need > k + 1) i = leadAt;
  return i;
}

/** Index of the first byte of `buf` that starts a UTF-8 character (skips leading continuation bytes). */
export function utf8SafeStart(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length && i < 3 && (buf[i] & 0xc0) === 0x80) i++;
  return i;
}
