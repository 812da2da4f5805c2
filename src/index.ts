// The library entry: the agent core without any terminal code. Front ends (cli/) build on these exports.
export type * from './config/types.js';
export type * from './protocol/events.js';
export type * from './protocol/ops.js';
export type * from './providers/types.js';
export {
  type CreateSessionOptions,
  createSession,
  NON_INTERACTIVE_DENIAL,
  Session,
} from './session/index.js';
export type * from './tools/events.js';
export type * from './tools/types.js';
