// Policies built by hand (the config loader builds them in real use).
import type { SandboxPolicy } from '../../src/protocol/policy.js';

export function workspaceWrite(
  overrides: Partial<Extract<SandboxPolicy, { type: 'workspace-write' }>> = {},
): SandboxPolicy {
  return {
    type: 'workspace-write',
    writableRoots: [],
    networkAccess: false,
    excludeSlashTmp: false,
    excludeTmpdirEnvVar: false,
    ...overrides,
  };
}

export const READ_ONLY: SandboxPolicy = { type: 'read-only' };
export const FULL_ACCESS: SandboxPolicy = { type: 'danger-full-access' };
