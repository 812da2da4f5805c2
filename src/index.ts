// The library entry: the agent core without any terminal code. Front ends (cli/) build on these exports.
export { resolveApiKey } from './config/auth.js';
export { ConfigError, UserError } from './config/errors.js';
export {
  type ConfigOverrides,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
} from './config/load.js';
export { findModelFamily } from './config/model-family.js';
export type * from './config/types.js';
export { execCommand } from './exec/index.js';
export type {
  CapturedOutput,
  RunSandboxed,
  SandboxedExecRequest,
  SandboxedExecResult,
} from './exec/types.js';
export { McpConnectionManager } from './mcp/manager.js';
export { stopServersOnExit } from './mcp/shutdown.js';
export type * from './protocol/events.js';
export type * from './protocol/models.js';
export type * from './protocol/ops.js';
export type * from './protocol/policy.js';
export type * from './protocol/tool-events.js';
export { createModelClient, isModelError, ModelError } from './providers/index.js';
export type * from './providers/types.js';
export { probeSandbox, runSandboxed, SandboxUnavailableError } from './sandbox/index.js';
export {
  type CreateSessionOptions,
  createSession,
  findRolloutById,
  NON_INTERACTIVE_DENIAL,
  readRollout,
  Session,
  type TurnSettings,
} from './session/index.js';
export type { TurnContextRecord } from './session/rollout.js';
export { commitPlan, type PlannedFile } from './tools/apply-patch/index.js';
export { APPROVAL_PRESETS, type ApprovalPreset, findApprovalPreset } from './tools/approval/presets.js';
export type { PatchFileAccess } from './tools/handlers/apply-patch.js';
export type * from './tools/types.js';
