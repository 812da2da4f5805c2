// The policy vocabulary shared by config, tools and front ends: who approves what, how the sandbox
// confines commands, how hard the model thinks, and what a reviewer can answer.

export type ApprovalPolicy = 'untrusted' | 'on-failure' | 'on-request' | 'never';
export type SandboxMode = 'read-only' | 'workspace-write' | 'danger-full-access';
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
export type ReasoningSummary = 'auto' | 'concise' | 'detailed' | 'none';
export type Verbosity = 'low' | 'medium' | 'high';

export const APPROVAL_POLICIES: readonly ApprovalPolicy[] = [
  'untrusted',
  'on-failure',
  'on-request',
  'never',
];
export const SANDBOX_MODES: readonly SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

export type SandboxPolicy =
  | { type: 'danger-full-access' }
  | { type: 'read-only' }
  | {
      type: 'workspace-write';
      /** Absolute paths; the cwd, /tmp and $TMPDIR are added by the sandbox, not stored here. */
      writableRoots: string[];
      networkAccess: boolean;
      excludeTmpdirEnvVar: boolean;
      excludeSlashTmp: boolean;
    };

/** A reviewer's answer to an approval request. */
export type ReviewDecision = 'approved' | 'approved_for_session' | 'denied' | 'abort';
