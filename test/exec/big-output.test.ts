// In its own file so the worker process starts fresh and its peak RSS reflects this test alone.
import { describe, expect, it } from 'vitest';
import { CAPTURE_HEAD_BYTES, CAPTURE_TAIL_BYTES } from '../../src/exec/capture.js';
import { execCommand, MAX_OUTPUT_CHUNKS } from '../../src/exec/run.js';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

describe('1 GiB of output', () => {
  it('is captured in bounded memory, with exact totals and capped live chunks', async () => {
    let chunks = 0;
    let reportedBytes = 0;
    global.gc?.();
    const before = process.resourceUsage().maxRSS * 1024;
    const r = await execCommand({
      command: ['sh', '-c', "head -c 1G /dev/zero | tr '\\0' 'a'; echo; echo tail-marker >&2"],
      cwd: '/tmp',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      timeoutMs: 600_000,
      onOutput: (_stream, chunk) => {
        chunks++;
        reportedBytes += chunk.length;
      },
    });
    const growth = process.resourceUsage().maxRSS * 1024 - before;
    expect(r.exitCode).toBe(0);
    expect(r.stdout.totalBytes).toBe(GIB + 1);
    expect(r.stdout.droppedBytes).toBe(GIB + 1 - CAPTURE_HEAD_BYTES - CAPTURE_TAIL_BYTES);
    expect(r.stdout.text.length).toBe(CAPTURE_HEAD_BYTES + CAPTURE_TAIL_BYTES);
    expect(r.stdout.totalLines).toBe(1);
    expect(r.aggregated.totalBytes).toBe(GIB + 1 + 'tail-marker\n'.length);
    expect(r.aggregated.text.endsWith('tail-marker\n')).toBe(true);
    expect(growth).toBeLessThan(100 * MIB);
    // Pipe reads are at most 64 KiB, so 1 GiB arrives in far more chunks than the live-output cap.
    expect(chunks).toBe(MAX_OUTPUT_CHUNKS);
    expect(reportedBytes).toBeLessThan(r.aggregated.totalBytes);
  });
});
