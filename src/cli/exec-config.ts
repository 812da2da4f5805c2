// `conduit exec`'s flags as a configuration: --full-auto, --yolo, --sandbox, --oss and --add-dir on top of
// config.toml, and the approval policy exec runs with (nobody can answer approvals here).

import { type Config, loadConfig, type SandboxMode, UserError } from '../index.js';
import { execApprovalPolicy } from './exec-policy.js';
import type { GlobalOptions } from './options.js';

const OSS_DEFAULT_MODEL = 'gpt-oss:20b';

export interface ExecOptions extends GlobalOptions {
  image: string[];
  sandbox?: SandboxMode;
  fullAuto?: boolean;
  dangerouslyBypassApprovalsAndSandbox?: boolean;
  yolo?: boolean;
  cd?: string;
  skipGitRepoCheck?: boolean;
  addDir: string[];
  outputSchema?: string;
  json?: boolean;
  experimentalJson?: boolean;
  outputLastMessage?: string;
  color: 'always' | 'never' | 'auto';
  oss?: boolean;
  /** false with --no-tool-cache. */
  toolCache?: boolean;
}

export async function loadExecConfig(opts: ExecOptions): Promise<{ config: Config; warnings: string[] }> {
  const yolo = Boolean(opts.dangerouslyBypassApprovalsAndSandbox || opts.yolo);
  if (yolo && opts.fullAuto) {
    throw new UserError(
      '--full-auto and --dangerously-bypass-approvals-and-sandbox (--yolo) cannot be used together',
    );
  }
  if (opts.color && !['always', 'never', 'auto'].includes(opts.color)) {
    throw new UserError(`--color ${opts.color}: expected always, never or auto`);
  }
  const sandboxMode: SandboxMode | undefined = yolo
    ? 'danger-full-access'
    : opts.fullAuto
      ? 'workspace-write'
      : opts.sandbox;
  const loaded = await loadConfig({
    cliOverrides: opts.config,
    profile: opts.profile,
    cwd: opts.cd,
    overrides: {
      model: opts.model ?? (opts.oss ? OSS_DEFAULT_MODEL : undefined),
      modelProvider: opts.oss ? 'oss' : undefined,
      sandboxMode,
      approvalPolicy: yolo ? 'never' : undefined,
      addDirs: opts.addDir,
    },
  });
  const approvalPolicy = execApprovalPolicy(loaded).policy;
  return { config: { ...loaded.config, approvalPolicy }, warnings: loaded.warnings };
}
