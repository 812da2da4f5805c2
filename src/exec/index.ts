// The exec engine: run an argv with bounded capture, timeout and abort; build a command's environment.
export { BoundedCapture, CAPTURE_HEAD_BYTES, CAPTURE_TAIL_BYTES } from './capture.js';
export { createEnv, DEFAULT_SHELL_ENVIRONMENT_POLICY, networkDisabled } from './env.js';
export type { ExecExtras } from './run.js';
export { ExecSpawnError, execCommand, MAX_OUTPUT_CHUNKS } from './run.js';
export * from './types.js';
