// What a session remembers: the history the model sees, the rollout file it is written to, the token
// totals and the environment as the model last heard it. Every change to history goes through here, so
// history and rollout never disagree.

import { basename } from 'node:path';
import { detectUserShell } from '../exec/user-shell.js';
import type { EventMsg, TokenUsageInfo } from '../protocol/events.js';
import type { ResponseItem, TokenUsage } from '../protocol/models.js';
import { addTokenUsage } from '../providers/usage.js';
import {
  diffEnvironmentContext,
  type EnvironmentContext,
  environmentContextFor,
  environmentContextItem,
} from './environment-context.js';
import type { RolloutRecorder, TurnContextRecord } from './rollout.js';
import { estimateTokens } from './tokens.js';
import type { TurnSettings } from './turn-context.js';

/** The user's shell, as the model is told it; read once per process. */
export const USER_SHELL = basename(detectUserShell());

export class SessionRecord {
  /** Usage of the last model response, undefined after compaction (the history changed under it). */
  private lastUsage: TokenUsage | undefined;

  constructor(
    readonly rollout: RolloutRecorder,
    private items: ResponseItem[],
    private totalUsage: TokenUsage,
    /** The environment as the model last heard it; only changes to it are appended. */
    private lastEnvironment: EnvironmentContext,
  ) {}

  get history(): readonly ResponseItem[] {
    return this.items;
  }

  recordItem(item: ResponseItem): void {
    this.items.push(item);
    this.rollout.record({ type: 'response_item', payload: item });
  }

  recordEventMsg(msg: EventMsg): void {
    this.rollout.record({ type: 'event_msg', payload: msg });
  }

  recordTurnContext(s: TurnSettings): void {
    const payload: TurnContextRecord = {
      cwd: s.cwd,
      approval_policy: s.approvalPolicy,
      sandbox_policy: s.sandboxPolicy,
      model: s.model,
      model_provider: s.providerId,
      effort: s.effort,
      summary: s.summary,
    };
    this.rollout.record({ type: 'turn_context', payload });
  }

  /** Appends the fields of the environment that changed since the model last heard them. */
  recordEnvironmentChange(s: TurnSettings): void {
    const next = environmentContextFor(s, USER_SHELL);
    const changed = diffEnvironmentContext(this.lastEnvironment, next);
    if (changed) this.recordItem(environmentContextItem(changed));
    this.lastEnvironment = next;
  }

  /** Counts a response's usage; returns the `token_count` info to show, if the response reported any. */
  recordUsage(usage: TokenUsage | undefined, contextWindow: number | undefined): TokenUsageInfo | undefined {
    this.lastUsage = usage;
    if (!usage) return undefined;
    this.totalUsage = addTokenUsage(this.totalUsage, usage);
    return {
      total_token_usage: this.totalUsage,
      last_token_usage: usage,
      model_context_window: contextWindow,
    };
  }

  /** Tokens in the context now: the last response's count, or an estimate when there is none. */
  contextTokens(): number {
    return this.lastUsage?.total_tokens ?? estimateTokens(this.items);
  }

  /** Replaces the history with a compacted one; `usage` is what the summary request cost. */
  replaceHistory(
    replacement: ResponseItem[],
    summary: string,
    environment: EnvironmentContext,
    usage: TokenUsage | undefined,
  ): void {
    if (usage) this.totalUsage = addTokenUsage(this.totalUsage, usage);
    this.items = replacement;
    this.lastEnvironment = environment;
    this.lastUsage = undefined;
    this.rollout.record({
      type: 'compacted',
      payload: { message: summary, replacement_history: replacement },
    });
  }
}
