// Bounds on what a job may write to its logs: each stream keeps its first `cap` bytes, then one marker line
// saying how much was dropped is added when the job ends. Memory and disk stay bounded whatever the job prints.

export const DEFAULT_LOG_CAP_BYTES = 8 * 1024 * 1024;

export type LogStream = 'stdout' | 'stderr' | 'combined';
export const LOG_STREAMS: LogStream[] = ['stdout', 'stderr', 'combined'];

export class CappedStream {
  written = 0;
  dropped = 0;

  constructor(readonly cap: number) {}

  /** The part of `chunk` that still fits. */
  accept(chunk: Buffer): Buffer {
    const room = Math.max(0, this.cap - this.written);
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.written += kept.length;
    this.dropped += chunk.length - kept.length;
    return kept;
  }

  /** The marker to append at the end, if anything was dropped. */
  closingMarker(): Buffer | undefined {
    if (this.dropped === 0) return undefined;
    return Buffer.from(
      `\n[conduit-runner: log capped at ${this.cap} bytes; ${this.dropped} bytes dropped]\n`,
    );
  }
}

/** Where a running job's output goes: files (embedded) or Redis (BullMQ workers). */
export interface LogSink {
  write(stream: LogStream, data: Buffer): void;
  /** Flushes everything written so far. */
  close(): Promise<void>;
}

/** Splits stdout/stderr into the three capped streams of a sink. */
export class CappedLogs {
  private readonly streams: Record<LogStream, CappedStream>;
  lastLine = '';

  /** `onWrite` runs after each chunk of the job's output (the backends report progress from it). */
  constructor(
    private readonly sink: LogSink,
    private readonly onWrite: () => void = () => {},
    cap = DEFAULT_LOG_CAP_BYTES,
  ) {
    this.streams = {
      stdout: new CappedStream(cap),
      stderr: new CappedStream(cap),
      combined: new CappedStream(cap),
    };
  }

  get totalBytes(): number {
    return this.streams.combined.written + this.streams.combined.dropped;
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    for (const name of [stream, 'combined'] as const) {
      const kept = this.streams[name].accept(chunk);
      if (kept.length > 0) this.sink.write(name, kept);
    }
    const lines = chunk
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const last = lines.at(-1);
    if (last !== undefined) this.lastLine = last.slice(0, 200);
    this.onWrite();
  }

  /** A line of the runner's own (e.g. which attempt starts), kept in the combined stream. */
  note(text: string): void {
    const kept = this.streams.combined.accept(Buffer.from(`[conduit-runner: ${text}]\n`));
    if (kept.length > 0) this.sink.write('combined', kept);
  }

  async close(): Promise<void> {
    for (const name of ['stdout', 'stderr', 'combined'] as const) {
      const marker = this.streams[name].closingMarker();
      if (marker) this.sink.write(name, marker);
    }
    await this.sink.close();
  }
}
