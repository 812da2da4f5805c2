// Session modes and config options. Modes are the approval presets (read-only, auto, full access); the
// model choice is the configuration as loaded plus each `[profiles.<name>]` of config.toml; the thought
// level is the reasoning effort. Both the legacy `modes` and the `configOptions` (categories mode, model,
// thought_level) are published: clients differ in which one they show (QwenLM/qwen-code#2015).

import type { SessionConfigOption, SessionModeState } from '@agentclientprotocol/sdk';
import {
  APPROVAL_PRESETS,
  type ApprovalPolicy,
  type ReasoningEffort,
  type SandboxMode,
  type SandboxPolicy,
  type TurnContextOverrides,
} from '../../index.js';

export const MODE_OPTION = 'mode';
export const MODEL_OPTION = 'model';
export const EFFORT_OPTION = 'thought_level';
/** The mode id when the configured policy pair is none of the presets. */
export const CONFIGURED_MODE = 'configured';
/** The model value that stands for the configuration as loaded (no profile). */
export const CONFIGURED_MODEL = 'configured';
const EFFORTS: ReasoningEffort[] = ['minimal', 'low', 'medium', 'high'];
const DEFAULT_EFFORT = 'default';

/** What a model choice sets: the model and provider of a profile (or of the configuration itself). */
export interface ModelChoice {
  value: string;
  name: string;
  model: string;
  provider: string;
  effort?: ReasoningEffort;
}

export interface SessionChoices {
  mode: string;
  model: string;
  effort: string;
}

export function presetIdFor(policy: ApprovalPolicy, sandbox: SandboxMode): string {
  return (
    APPROVAL_PRESETS.find((p) => p.approvalPolicy === policy && p.sandboxMode === sandbox)?.id ??
    CONFIGURED_MODE
  );
}

export function modeState(current: string, configured: { policy: ApprovalPolicy; sandbox: SandboxMode }) {
  const modes: SessionModeState = {
    currentModeId: current,
    availableModes: APPROVAL_PRESETS.map((p) => ({ id: p.id, name: p.label, description: p.description })),
  };
  if (presetIdFor(configured.policy, configured.sandbox) === CONFIGURED_MODE) {
    modes.availableModes.push({
      id: CONFIGURED_MODE,
      name: 'As configured',
      description: `approval_policy ${configured.policy}, sandbox_mode ${configured.sandbox} (config.toml)`,
    });
  }
  return modes;
}

export function configOptions(
  choices: SessionChoices,
  modes: SessionModeState,
  models: ModelChoice[],
): SessionConfigOption[] {
  return [
    {
      type: 'select',
      id: MODE_OPTION,
      name: 'Mode',
      category: 'mode',
      currentValue: choices.mode,
      options: modes.availableModes.map((m) => ({ value: m.id, name: m.name, description: m.description })),
    },
    {
      type: 'select',
      id: MODEL_OPTION,
      name: 'Model',
      category: 'model',
      currentValue: choices.model,
      options: models.map((m) => ({ value: m.value, name: m.name, description: `${m.provider}/${m.model}` })),
    },
    {
      type: 'select',
      id: EFFORT_OPTION,
      name: 'Reasoning effort',
      category: 'thought_level',
      currentValue: choices.effort,
      options: [
        { value: DEFAULT_EFFORT, name: 'Default' },
        ...EFFORTS.map((e) => ({ value: e, name: e[0].toUpperCase() + e.slice(1) })),
      ],
    },
  ];
}

/** The sandbox policy for a preset's mode, keeping the configured workspace-write details when it has them. */
function sandboxPolicyFor(mode: SandboxMode, configured: SandboxPolicy): SandboxPolicy {
  if (mode !== 'workspace-write') return { type: mode };
  if (configured.type === 'workspace-write') return configured;
  return {
    type: mode,
    writableRoots: [],
    networkAccess: false,
    excludeTmpdirEnvVar: false,
    excludeSlashTmp: false,
  };
}

/** The turn settings a mode sets; undefined for an unknown mode id. */
export function modeOverrides(
  modeId: string,
  configured: { policy: ApprovalPolicy; sandboxPolicy: SandboxPolicy },
): TurnContextOverrides | undefined {
  if (modeId === CONFIGURED_MODE)
    return { approval_policy: configured.policy, sandbox_policy: configured.sandboxPolicy };
  const preset = APPROVAL_PRESETS.find((p) => p.id === modeId);
  if (!preset) return undefined;
  return {
    approval_policy: preset.approvalPolicy,
    sandbox_policy: sandboxPolicyFor(preset.sandboxMode, configured.sandboxPolicy),
  };
}

export function effortOverrides(value: string): TurnContextOverrides | undefined {
  if (value === DEFAULT_EFFORT) return { effort: null };
  return (EFFORTS as string[]).includes(value) ? { effort: value as ReasoningEffort } : undefined;
}

export function effortValue(effort: ReasoningEffort | undefined): string {
  return effort && (EFFORTS as string[]).includes(effort) ? effort : DEFAULT_EFFORT;
}
