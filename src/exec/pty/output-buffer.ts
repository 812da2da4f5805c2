// Output a PTY session produced since the model last read it. Bounded: a chatty program that nobody
// polls keeps only its most recent output, with a count of what was dropped.

export const PTY_PENDING_OUTPUT_MAX_CHARS = 1024 * 1024;

export class PendingOutput {
  private chunks: string[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly maxChars = PTY_PENDING_OUTPUT_MAX_CHARS) {}

  push(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.maxChars) {
      const excess = this.size - this.maxChars;
      const first = this.chunks[0];
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        // Never start on the second half of a surrogate pair.
        const cut = isLowSurrogate(first.charCodeAt(excess)) ? excess + 1 : excess;
        this.chunks[0] = first.slice(cut);
        this.size -= cut;
        this.dropped += cut;
      }
    }
  }

  /** Everything pending (oldest dropped first when over the cap), and how many characters were dropped. */
  take(): { text: string; droppedChars: number } {
    const taken = { text: this.chunks.join(''), droppedChars: this.dropped };
    this.chunks = [];
    this.size = 0;
    this.dropped = 0;
    return taken;
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
