// The OS sandbox: one entry point (`runSandboxed`) over bubblewrap, Seatbelt and none, plus the probe that
// `conduit doctor` shows and the pure builders the tests pin down.

export type { BwrapOptions } from './bwrap-args.js';
export { buildBwrapArgs } from './bwrap-args.js';
export { isLikelySandboxDenied } from './denial.js';
export { SandboxUnavailableError } from './errors.js';
export type { BwrapProbe, CommandSandboxProbe, SandboxProbe } from './probe.js';
export { explainUnavailable, probeSandbox, probeSandboxForCommands } from './probe.js';
export type { PreparedCommand } from './run.js';
export { prepareSandboxedCommand, runSandboxed } from './run.js';
export { buildSeatbeltArgv, buildSeatbeltProfile } from './seatbelt.js';
export { buildSeccompProgram } from './seccomp.js';
export type { WritableRoot } from './writable-roots.js';
export { resolveWritableRoots } from './writable-roots.js';
