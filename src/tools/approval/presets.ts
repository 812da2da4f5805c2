// The approval/sandbox pairs a user picks by name (`--preset`, a TUI menu); a plain table the CLI reads.

import type { ApprovalPolicy, SandboxMode } from '../../protocol/policy.js';

export interface ApprovalPreset {
  id: 'read-only' | 'auto' | 'full-access';
  label: string;
  description: string;
  approvalPolicy: ApprovalPolicy;
  sandboxMode: SandboxMode;
}

export const APPROVAL_PRESETS: readonly ApprovalPreset[] = [
  {
    id: 'read-only',
    label: 'Read Only',
    description: 'Reads files anywhere; asks before editing files or using the network.',
    approvalPolicy: 'on-request',
    sandboxMode: 'read-only',
  },
  {
    id: 'auto',
    label: 'Auto',
    description: 'Reads and edits files in the workspace and runs commands there; asks before going further.',
    approvalPolicy: 'on-request',
    sandboxMode: 'workspace-write',
  },
  {
    id: 'full-access',
    label: 'Full Access',
    description: 'Edits any file and uses the network without asking. Use with care.',
    approvalPolicy: 'never',
    sandboxMode: 'danger-full-access',
  },
];

export function findApprovalPreset(id: string): ApprovalPreset | undefined {
  return APPROVAL_PRESETS.find((preset) => preset.id === id);
}
