// The `<environment_context>` user message: tells the model where it runs and under which rules. When a
// setting changes mid-session only the changed fields are appended, so history stays append-only (and the
// provider's prompt cache keeps its prefix).

import type { ResponseItem } from '../protocol/models.js';
import type { ApprovalPolicy, SandboxMode, SandboxPolicy } from '../protocol/policy.js';

export interface EnvironmentContext {
  cwd?: string;
  approvalPolicy?: ApprovalPolicy;
  sandboxMode?: SandboxMode;
  networkAccess?: 'restricted' | 'enabled';
  writableRoots?: string[];
  shell?: string;
}

export function environmentContextFor(
  settings: { cwd: string; approvalPolicy: ApprovalPolicy; sandboxPolicy: SandboxPolicy },
  shell?: string,
): EnvironmentContext {
  const policy = settings.sandboxPolicy;
  return {
    cwd: settings.cwd,
    approvalPolicy: settings.approvalPolicy,
    sandboxMode: policy.type,
    networkAccess:
      policy.type === 'danger-full-access' || (policy.type === 'workspace-write' && policy.networkAccess)
        ? 'enabled'
        : 'restricted',
    writableRoots: policy.type === 'workspace-write' ? policy.writableRoots : undefined,
    shell,
  };
}

/** The fields of `next` that differ from `prev`, or undefined when nothing the model cares about changed. */
export function diffEnvironmentContext(
  prev: EnvironmentContext,
  next: EnvironmentContext,
): EnvironmentContext | undefined {
  const changed: EnvironmentContext = {};
  if (prev.cwd !== next.cwd) changed.cwd = next.cwd;
  if (prev.approvalPolicy !== next.approvalPolicy) changed.approvalPolicy = next.approvalPolicy;
  if (prev.sandboxMode !== next.sandboxMode) changed.sandboxMode = next.sandboxMode;
  if (prev.networkAccess !== next.networkAccess) changed.networkAccess = next.networkAccess;
  if ((prev.writableRoots ?? []).join('\0') !== (next.writableRoots ?? []).join('\0')) {
    changed.writableRoots = next.writableRoots ?? [];
  }
  return Object.keys(changed).length > 0 ? changed : undefined;
}

/** How the message starts; compaction drops such messages from the user's own (session/compact.ts). */
export const ENVIRONMENT_CONTEXT_MARKER = '<environment_context>';

export function renderEnvironmentContext(ctx: EnvironmentContext): string {
  const lines = [ENVIRONMENT_CONTEXT_MARKER];
  if (ctx.cwd !== undefined) lines.push(`  <cwd>${ctx.cwd}</cwd>`);
  if (ctx.approvalPolicy !== undefined)
    lines.push(`  <approval_policy>${ctx.approvalPolicy}</approval_policy>`);
  if (ctx.sandboxMode !== undefined) lines.push(`  <sandbox_mode>${ctx.sandboxMode}</sandbox_mode>`);
  if (ctx.networkAccess !== undefined) lines.push(`  <network_access>${ctx.networkAccess}</network_access>`);
  if (ctx.writableRoots !== undefined) {
    lines.push('  <writable_roots>');
    for (const root of ctx.writableRoots) lines.push(`    <root>${root}</root>`);
    lines.push('  </writable_roots>');
  }
  if (ctx.shell !== undefined) lines.push(`  <shell>${ctx.shell}</shell>`);
  lines.push('</environment_context>');
  return lines.join('\n');
}

export function environmentContextItem(ctx: EnvironmentContext): ResponseItem {
  return {
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text: renderEnvironmentContext(ctx) }],
  };
}
