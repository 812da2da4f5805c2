import { describe, expect, it } from 'vitest';
import type { ModelFamily } from '../../src/config/types.js';
import type { ExecResult } from '../../src/exec/types.js';
import {
  effectiveTruncationPolicy,
  formatShellToolOutput,
  formatShellToolOutputText,
  truncateForModel,
  truncateOutputBody,
} from '../../src/tools/truncate.js';

const BYTES = { mode: 'bytes', limit: 10_240 } as const;
const lines = (n: number, width = 1) =>
  Array.from({ length: n }, (_, i) => `${i}`.padStart(width, '0')).join('\n');

function result(text: string, extra: Partial<ExecResult> = {}): ExecResult {
  const captured = {
    text,
    totalBytes: Buffer.byteLength(text),
    droppedBytes: 0,
    totalLines: text.split('\n').length,
  };
  return {
    exitCode: 0,
    stdout: captured,
    stderr: { ...captured, text: '' },
    aggregated: captured,
    durationMs: 1234,
    timedOut: false,
    interrupted: false,
    ...extra,
  };
}

describe('bytes+lines policy', () => {
  it('leaves output within both limits alone', () => {
    const text = lines(256);
    expect(truncateForModel(text, BYTES)).toBe(text);
  });

  it('keeps 128 head and 128 tail lines with an omitted-lines marker and a header', () => {
    const out = truncateForModel(lines(1000), BYTES);
    const [header, blank, ...rest] = out.split('\n');
    expect(header).toBe('Total output lines: 1000');
    expect(blank).toBe('');
    const body = rest.join('\n');
    expect(body.startsWith('0\n1\n2\n')).toBe(true);
    expect(body).toContain('\n127\n\n[... omitted 744 of 1000 lines ...]\n\n872\n');
    expect(body.endsWith('\n999')).toBe(true);
  });

  it('cuts by bytes when a few lines are too long, within the byte limit', () => {
    const text = `${'a'.repeat(20_000)}\n${'b'.repeat(20_000)}`;
    const { body, truncated, totalLines } = truncateOutputBody(text, BYTES);
    expect(truncated).toBe(true);
    expect(totalLines).toBe(2);
    expect(body).toContain('[... output truncated to fit 10240 bytes ...]');
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(10_240);
    expect(body.startsWith('aaaa')).toBe(true);
    expect(body.endsWith('bbbb')).toBe(true);
  });

  it('never splits a multi-byte character', () => {
    const text = '€'.repeat(10_000);
    const { body } = truncateOutputBody(text, BYTES);
    expect(body).not.toContain('\uFFFD');
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(10_240);
  });

  it('keeps head and tail when the capture dropped lines but kept few long ones', () => {
    const text = `${'a'.repeat(20_000)}\n${'z'.repeat(20_000)}`;
    const out = truncateForModel(text, BYTES, { totalLines: 900, droppedBytes: 5_000_000 });
    expect(out).toContain('[... omitted 898 of 900 lines ...]');
    expect(out.endsWith('zzz')).toBe(true);
  });

  it('reports the true line count when the capture dropped bytes', () => {
    const out = truncateForModel(lines(300), BYTES, { totalLines: 5000, droppedBytes: 1_000_000 });
    expect(out.startsWith('Total output lines: 5000\n\n')).toBe(true);
    expect(out).toContain('[... omitted 4744 of 5000 lines ...]');
  });
});

describe('token policy', () => {
  const TOKENS = { mode: 'tokens', limit: 10 } as const;

  it('leaves output within ≈4 bytes per token alone', () => {
    expect(truncateForModel('x'.repeat(40), TOKENS)).toBe('x'.repeat(40));
  });

  it('cuts the middle with a token count marker', () => {
    const out = truncateForModel(`${'h'.repeat(50)}${'t'.repeat(50)}`, TOKENS);
    expect(out).toBe(`Total output lines: 1\n\n${'h'.repeat(20)}…15 tokens truncated…${'t'.repeat(20)}`);
  });

  it('keeps whole characters on both sides', () => {
    const { body } = truncateOutputBody('é'.repeat(100), TOKENS);
    expect(body).not.toContain('\uFFFD');
    expect(body).toMatch(/^é+…\d+ tokens truncated…é+$/);
  });
});

describe('policy selection', () => {
  const family = (truncationPolicy: ModelFamily['truncationPolicy']) => ({ truncationPolicy }) as ModelFamily;
  it('uses the family policy unless tool_output_token_limit overrides its budget', () => {
    expect(effectiveTruncationPolicy(family(BYTES))).toEqual(BYTES);
    expect(effectiveTruncationPolicy(family(BYTES), 500)).toEqual({ mode: 'bytes', limit: 2000 });
    expect(effectiveTruncationPolicy(family({ mode: 'tokens', limit: 10_000 }), 500)).toEqual({
      mode: 'tokens',
      limit: 500,
    });
  });
});

describe('shell tool output', () => {
  it('formats the JSON with exit code and duration to 0.1 s', () => {
    const json = formatShellToolOutput(result('hi\n', { exitCode: 1, durationMs: 1000 }), BYTES);
    expect(json).toBe('{"output":"hi\\n","metadata":{"exit_code":1,"duration_seconds":1.0}}');
    expect(JSON.parse(json)).toEqual({ output: 'hi\n', metadata: { exit_code: 1, duration_seconds: 1 } });
  });

  it('says when the command timed out', () => {
    const json = formatShellToolOutput(result('partial', { exitCode: 124, timedOut: true }), BYTES, {
      timeoutMs: 5000,
    });
    expect(JSON.parse(json).output).toBe('command timed out after 5000 milliseconds\npartial');
  });

  it('has a plain-text form for the freeform patch tool', () => {
    expect(formatShellToolOutputText(result('ok'), BYTES)).toBe(
      'Exit code: 0\nWall time: 1.2 seconds\nOutput:\nok',
    );
    const long = formatShellToolOutputText(result(lines(1000)), BYTES);
    expect(long.split('\n').slice(0, 4)).toEqual([
      'Exit code: 0',
      'Wall time: 1.2 seconds',
      'Total output lines: 1000',
      'Output:',
    ]);
  });
});
