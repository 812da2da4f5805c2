// The one error type a model client throws. `kind` tells the agent loop what happened without parsing
// messages; `retryable` says whether re-running the same request could succeed. It extends UserError so
// front ends print the message alone (a server refusing a request is not a Conduit bug).

import { UserError } from '../config/errors.js';

export type ModelErrorKind =
  /** The prompt does not fit the model's context window (or the server stopped with `length`). */
  | 'context_window_exceeded'
  /** The account has no credit left (`insufficient_quota`). */
  | 'quota_exceeded'
  /** A plan's usage limit was reached; `resetsAt` says when it resets if the server told us. */
  | 'usage_limit_reached'
  /** The plan does not include this model or API. */
  | 'usage_not_included'
  /** A 429 (or `rate_limit_exceeded`) that is worth waiting for; `delayMs` is the server's hint. */
  | 'rate_limited'
  /** Any other HTTP failure; `status` and the server's own message are kept. */
  | 'http'
  /** The stream broke: cut connection, transport error, `response.failed`, closed before completion. */
  | 'stream'
  /** No bytes at all (not even keep-alive comments) for `stream_idle_timeout_ms`. */
  | 'idle_timeout'
  /** The caller's AbortSignal fired. */
  | 'interrupted'
  /** The provider's `env_key` variable is unset or blank. */
  | 'env_var';

export interface ModelErrorDetails {
  retryable?: boolean;
  status?: number;
  /** Server-suggested wait before retrying (Retry-After, "try again in …"). */
  delayMs?: number;
  requestId?: string;
  /** Machine-readable error code from the server (`error.code`), when it gave one. */
  code?: string;
  planType?: string;
  /** Epoch seconds when a usage limit resets. */
  resetsAt?: number;
  cause?: unknown;
}

export class ModelError extends UserError {
  override name = 'ModelError';
  readonly retryable: boolean;
  readonly status?: number;
  readonly delayMs?: number;
  readonly requestId?: string;
  readonly code?: string;
  readonly planType?: string;
  readonly resetsAt?: number;

  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    details: ModelErrorDetails = {},
  ) {
    // A missing API key is a configuration problem (exit 2); everything else is a failed run (exit 1).
    super(message, kind === 'env_var' ? 2 : 1);
    this.retryable = details.retryable ?? DEFAULT_RETRYABLE[kind];
    this.status = details.status;
    this.delayMs = details.delayMs;
    this.requestId = details.requestId;
    this.code = details.code;
    this.planType = details.planType;
    this.resetsAt = details.resetsAt;
    if (details.cause !== undefined) this.cause = details.cause;
  }
}

const DEFAULT_RETRYABLE: Record<ModelErrorKind, boolean> = {
  context_window_exceeded: false,
  quota_exceeded: false,
  usage_limit_reached: false,
  usage_not_included: false,
  rate_limited: true,
  http: false,
  stream: true,
  idle_timeout: true,
  interrupted: false,
  env_var: false,
};

export function isModelError(err: unknown): err is ModelError {
  return err instanceof ModelError;
}
