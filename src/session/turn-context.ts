// The settings a turn runs with. They start from the config and change with `user_turn` and
// `override_turn_context`; a model switch re-derives the model family, a provider switch picks another
// configured provider.

import { UserError } from '../config/errors.js';
import { defaultAutoCompactLimit, findModelFamily } from '../config/model-family.js';
import type { Config, ModelFamily, ModelProviderInfo } from '../config/types.js';
import type { TurnContextOverrides } from '../protocol/ops.js';
import type {
  ApprovalPolicy,
  ReasoningEffort,
  ReasoningSummary,
  SandboxPolicy,
  Verbosity,
} from '../protocol/policy.js';

export interface TurnSettings {
  cwd: string;
  approvalPolicy: ApprovalPolicy;
  sandboxPolicy: SandboxPolicy;
  model: string;
  providerId: string;
  provider: ModelProviderInfo;
  family: ModelFamily;
  effort?: ReasoningEffort;
  summary: ReasoningSummary;
  verbosity?: Verbosity;
  autoCompactTokenLimit?: number;
}

export function settingsFromConfig(config: Config): TurnSettings {
  return {
    cwd: config.cwd,
    approvalPolicy: config.approvalPolicy,
    sandboxPolicy: config.sandboxPolicy,
    model: config.model,
    providerId: config.modelProviderId,
    provider: config.modelProvider,
    family: config.modelFamily,
    effort: config.modelReasoningEffort,
    summary: config.modelReasoningSummary,
    verbosity: config.modelVerbosity,
    autoCompactTokenLimit: config.modelAutoCompactTokenLimit,
  };
}

/** Applies the overrides present in `o` (absent keeps, `effort: null` clears). Unknown providers are refused. */
export function applyOverrides(current: TurnSettings, o: TurnContextOverrides, config: Config): TurnSettings {
  const next: TurnSettings = { ...current };
  if (o.cwd !== undefined) next.cwd = o.cwd;
  if (o.approval_policy !== undefined) next.approvalPolicy = o.approval_policy;
  if (o.sandbox_policy !== undefined) next.sandboxPolicy = o.sandbox_policy;
  if (o.summary !== undefined) next.summary = o.summary;
  if (o.effort !== undefined) next.effort = o.effort ?? undefined;
  if (o.model_provider !== undefined && o.model_provider !== current.providerId) {
    const provider = config.modelProviders[o.model_provider];
    if (!provider) {
      throw new UserError(
        `model provider "${o.model_provider}" is not configured (known: ${Object.keys(config.modelProviders).join(', ')})`,
      );
    }
    next.providerId = o.model_provider;
    next.provider = provider;
  }
  if (o.model !== undefined && o.model !== current.model) {
    next.model = o.model;
    next.family = findModelFamily(o.model, { toolOutputTokenLimit: config.toolOutputTokenLimit });
    // A limit the user set stays; one derived from the old model's window follows the new model.
    const wasDerived = current.autoCompactTokenLimit === defaultAutoCompactLimit(current.family);
    if (wasDerived) next.autoCompactTokenLimit = defaultAutoCompactLimit(next.family);
  }
  return next;
}

/** The config as tools see it for one turn: the session's config with the turn's settings applied. */
export function configForTurn(config: Config, s: TurnSettings): Config {
  return {
    ...config,
    cwd: s.cwd,
    approvalPolicy: s.approvalPolicy,
    sandboxPolicy: s.sandboxPolicy,
    sandboxMode: s.sandboxPolicy.type,
    model: s.model,
    modelProviderId: s.providerId,
    modelProvider: s.provider,
    modelFamily: s.family,
    modelReasoningEffort: s.effort,
    modelReasoningSummary: s.summary,
    modelAutoCompactTokenLimit: s.autoCompactTokenLimit,
  };
}
