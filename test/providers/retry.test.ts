import { describe, expect, it } from 'vitest';
import { abortableSleep, backoffMs, parseRetryAfter, parseTryAgainIn } from '../../src/providers/retry.js';

describe('backoffMs', () => {
  it('is 200 ms × 2^(n−1) with jitter in [0.9, 1.1)', () => {
    expect(backoffMs(1, () => 0)).toBeCloseTo(180);
    expect(backoffMs(1, () => 0.5)).toBeCloseTo(200);
    expect(backoffMs(3, () => 0.5)).toBeCloseTo(800);
    expect(backoffMs(4, () => 0.999999)).toBeLessThan(1760);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const h = (init: Record<string, string>) => new Headers(init);
  it('reads seconds, fractional seconds, explicit units and retry-after-ms', () => {
    expect(parseRetryAfter(h({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfter(h({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(parseRetryAfter(h({ 'retry-after': '250ms' }), now)).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '2s' }), now)).toBe(2000);
    expect(parseRetryAfter(h({ 'retry-after-ms': '120', 'retry-after': '9' }), now)).toBe(120);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(h({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now)).toBe(0);
  });
  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(h({}), now)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });
});

describe('parseTryAgainIn', () => {
  it.each([
    ['Rate limit reached for gpt-5. Please try again in 1.898s. Visit …', 1898],
    ['please TRY AGAIN IN 28ms', 28],
    ['try again in 20 seconds.', 20_000],
    ['Try again in 6m0s', 360_000],
    ['try again in 1 second', 1000],
  ])('%s → %d ms', (message, ms) => {
    expect(parseTryAgainIn(message)).toBe(ms);
  });
  it('is undefined without a delay', () => {
    expect(parseTryAgainIn('slow down')).toBeUndefined();
    expect(parseTryAgainIn('try again in a while')).toBeUndefined();
  });
});

describe('abortableSleep', () => {
  it('rejects with an interrupted error when aborted', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ kind: 'interrupted' });
  });
  it('rejects at once on an already aborted signal', async () => {
    await expect(abortableSleep(60_000, AbortSignal.abort())).rejects.toMatchObject({ kind: 'interrupted' });
  });
});
