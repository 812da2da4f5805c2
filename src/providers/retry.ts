// Retry timing: exponential backoff, the server's own hints (Retry-After headers, "try again in …" in
// messages), and a sleep that an AbortSignal cuts short.
import { setTimeout as delay } from 'node:timers/promises';
import { ModelError } from './errors.js';
import type { HeaderLookup } from './http.js';

/** Backoff before retry `n` (counted from 1): 200 ms × 2^(n−1) × a uniform jitter in [0.9, 1.1). */
export function backoffMs(n: number, random: () => number = Math.random): number {
  return 200 * 2 ** Math.max(0, n - 1) * (0.9 + 0.2 * random());
}

/**
 * The wait a response asks for, in ms: `retry-after-ms`, else `Retry-After` as seconds (`2`, `1.5`),
 * an explicit unit (`1500ms`, `2s`) or an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderLookup, nowMs: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const withUnit = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/i.exec(value);
  if (withUnit) return Number(withUnit[1]) * (withUnit[2]?.toLowerCase() === 'ms' ? 1 : 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

const UNIT_MS: [RegExp, number][] = [
  [/^(ms|milliseconds?)$/i, 1],
  [/^(s|secs?|seconds?)$/i, 1000],
  [/^(m|mins?|minutes?)$/i, 60_000],
  [/^(h|hrs?|hours?)$/i, 3_600_000],
];

/**
 * The delay in a rate-limit message such as "Please try again in 1.898s", "try again in 20 seconds",
 * "try again in 28ms" or "try again in 6m0s" (case-insensitive). Undefined when there is none.
 */
export function parseTryAgainIn(message: string): number | undefined {
  const match =
    /try again in\s+((?:\d+(?:\.\d+)?\s*(?:milliseconds?|ms|minutes?|mins?|m|seconds?|secs?|s|hours?|hrs?|h)(?![a-z])\s*)+)/i.exec(
      message,
    );
  if (!match) return undefined;
  let total = 0;
  for (const [, amount, unit] of match[1].matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    const factor = UNIT_MS.find(([re]) => re.test(unit))?.[1];
    if (factor === undefined) return undefined;
    total += Number(amount) * factor;
  }
  return Math.round(total);
}

/** Waits `ms`, or throws an `interrupted` ModelError as soon as `signal` aborts. */
export async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw interrupted();
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw interrupted();
  }
}

export function interrupted(): ModelError {
  return new ModelError('interrupted', 'the model request was interrupted');
}
