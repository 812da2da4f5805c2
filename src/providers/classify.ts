// Turns what a server says when it refuses (an HTTP error body, a `response.failed` event, an `error`
// chunk mid-stream) into a ModelError with the right kind, so the agent loop can react without parsing text.
import { ModelError } from './errors.js';
import type { HeaderLookup } from './http.js';
import { parseRetryAfter, parseTryAgainIn } from './retry.js';

interface ServerError {
  message: string;
  code?: string;
  type?: string;
  planType?: string;
  resetsAt?: number;
}

// Self-hosted servers (vLLM, llama.cpp, Ollama, LM Studio) say "too long" in prose, without OpenAI's code.
const CONTEXT_OVERFLOW =
  /context[_ ]length|context window|maximum context|context size|too many tokens|prompt is too long|input is too long|exceeds the (?:model's )?(?:maximum )?(?:context|input)/i;

export function classifyHttpError(
  providerName: string,
  status: number,
  statusText: string,
  bodyText: string,
  headers: HeaderLookup,
  nowMs: number = Date.now(),
): ModelError {
  const err = parseServerError(bodyText, statusText);
  const requestId = headers.get('x-request-id') ?? headers.get('x-oai-request-id') ?? undefined;
  const base = { status, code: err.code, requestId };
  const where = `${providerName} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const text = `${where}: ${err.message}`;
  if (status === 429) {
    if (err.type === 'usage_limit_reached') {
      return new ModelError('usage_limit_reached', text, {
        ...base,
        planType: err.planType,
        resetsAt: err.resetsAt,
      });
    }
    if (err.type === 'usage_not_included') return new ModelError('usage_not_included', text, base);
    if (isQuota(err)) return new ModelError('quota_exceeded', text, base);
    const delayMs = parseRetryAfter(headers, nowMs) ?? parseTryAgainIn(err.message);
    return new ModelError('rate_limited', text, { ...base, delayMs });
  }
  if (isQuota(err)) return new ModelError('quota_exceeded', text, base);
  if (isContextOverflow(err) && status >= 400 && status < 500) {
    return new ModelError('context_window_exceeded', text, base);
  }
  const retryable = status >= 500 || status === 408;
  return new ModelError('http', text, {
    ...base,
    retryable,
    delayMs: retryable ? parseRetryAfter(headers, nowMs) : undefined,
  });
}

/** A failure reported inside a stream: `response.failed`'s `response.error`, or a chat `error` chunk. */
export function classifyStreamFailure(error: unknown): ModelError {
  const err = toServerError(error, 'the server reported a failure without a message');
  const text = `model stream failed: ${err.message}`;
  if (isContextOverflow(err)) return new ModelError('context_window_exceeded', text, { code: err.code });
  if (isQuota(err)) return new ModelError('quota_exceeded', text, { code: err.code });
  if (err.code === 'rate_limit_exceeded') {
    return new ModelError('rate_limited', text, { code: err.code, delayMs: parseTryAgainIn(err.message) });
  }
  return new ModelError('stream', text, { code: err.code });
}

function isQuota(err: ServerError): boolean {
  return err.code === 'insufficient_quota' || err.type === 'insufficient_quota';
}

function isContextOverflow(err: ServerError): boolean {
  return err.code === 'context_length_exceeded' || CONTEXT_OVERFLOW.test(err.message);
}

/** Reads the error out of the body shapes servers use: OpenAI's `{error:{…}}`, `{error:"…"}`, FastAPI's `{detail}`, or text. */
function parseServerError(bodyText: string, statusText: string): ServerError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    const text = bodyText.trim();
    return { message: text ? text.slice(0, 2000) : statusText || 'no error message' };
  }
  const fallback = bodyText.trim().slice(0, 2000) || statusText || 'no error message';
  const obj = json as { error?: unknown; detail?: unknown; message?: unknown };
  if (obj && typeof obj === 'object') {
    if (obj.error !== undefined) return toServerError(obj.error, fallback);
    if (typeof obj.detail === 'string') return { message: obj.detail };
    if (Array.isArray(obj.detail)) return { message: JSON.stringify(obj.detail).slice(0, 2000) };
    if (typeof obj.message === 'string') return { message: obj.message };
  }
  return { message: fallback };
}

function toServerError(error: unknown, fallback: string): ServerError {
  if (typeof error === 'string') return { message: error };
  if (!error || typeof error !== 'object') return { message: fallback };
  const e = error as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    message: str(e.message) ?? fallback,
    code: str(e.code) ?? (typeof e.code === 'number' ? String(e.code) : undefined),
    type: str(e.type),
    planType: str(e.plan_type),
    resetsAt: typeof e.resets_at === 'number' ? e.resets_at : undefined,
  };
}
