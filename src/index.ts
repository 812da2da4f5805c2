// The library entry: the agent core without any terminal code. Front ends (cli/) build on these exports.
export type * from './config/types.js';
export type * from './providers/types.js';
export type * from './tools/types.js';
export type * from './tools/events.js';
