import { describe, expect, it } from 'vitest';
import { classifyHttpError, classifyStreamFailure } from '../../src/providers/classify.js';

const classify = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  classifyHttpError(
    'P',
    status,
    '',
    typeof body === 'string' ? body : JSON.stringify(body),
    new Headers(headers),
  );

describe('classifyHttpError', () => {
  it('reads the message from the common body shapes', () => {
    expect(classify(400, { error: { message: 'bad a' } }).message).toBe('P answered HTTP 400: bad a');
    expect(classify(400, { error: 'bad b' }).message).toContain('bad b');
    expect(classify(422, { detail: 'bad c' }).message).toContain('bad c');
    expect(classify(400, 'plain text').message).toContain('plain text');
  });
  it('tells apart context, quota, usage limits and rate limits', () => {
    expect(classify(400, { error: { code: 'context_length_exceeded', message: 'x' } }).kind).toBe(
      'context_window_exceeded',
    );
    expect(classify(400, { error: { message: 'the request exceeds the available context size' } }).kind).toBe(
      'context_window_exceeded',
    );
    expect(classify(429, { error: { code: 'insufficient_quota', message: 'q' } }).kind).toBe(
      'quota_exceeded',
    );
    expect(classify(429, { error: { type: 'usage_limit_reached', message: 'u' } }).kind).toBe(
      'usage_limit_reached',
    );
    expect(classify(429, { error: { type: 'usage_not_included', message: 'n' } }).kind).toBe(
      'usage_not_included',
    );
    const rate = classify(429, { error: { message: 'Rate limit. Please try again in 2s' } });
    expect(rate).toMatchObject({ kind: 'rate_limited', retryable: true, delayMs: 2000 });
    expect(classify(429, {}, { 'retry-after': '7' }).delayMs).toBe(7000);
  });
  it('retries 5xx and 408, not other 4xx; keeps the request id', () => {
    expect(classify(502, 'bad gateway')).toMatchObject({ kind: 'http', retryable: true });
    expect(classify(408, '')).toMatchObject({ retryable: true });
    expect(
      classify(404, { error: { message: 'model not found' } }, { 'x-request-id': 'req_1' }),
    ).toMatchObject({
      kind: 'http',
      retryable: false,
      status: 404,
      requestId: 'req_1',
    });
  });
});

describe('classifyStreamFailure', () => {
  it('maps codes and keeps unknown failures retryable', () => {
    expect(classifyStreamFailure({ code: 'context_length_exceeded', message: 'm' }).kind).toBe(
      'context_window_exceeded',
    );
    expect(classifyStreamFailure({ code: 'insufficient_quota', message: 'm' }).kind).toBe('quota_exceeded');
    expect(
      classifyStreamFailure({ code: 'rate_limit_exceeded', message: 'try again in 1.5s' }),
    ).toMatchObject({
      kind: 'rate_limited',
      delayMs: 1500,
    });
    expect(classifyStreamFailure({ message: 'boom' })).toMatchObject({ kind: 'stream', retryable: true });
    expect(classifyStreamFailure(undefined).message).toContain('without a message');
  });
});
