// The session layer's entry: `createSession` wires a Session to the real model client and the built-in
// tools. Front ends (exec, the MCP server) call this; tests and embedders can build a Session directly.

import { createModelClient } from '../providers/index.js';
import { type BuiltinToolOptions, builtinTools } from './builtin-tools.js';
import { Session, type SessionOptions } from './session.js';

export interface CreateSessionOptions
  extends Omit<SessionOptions, 'createClient' | 'createTools'>,
    BuiltinToolOptions {}

export function createSession(options: CreateSessionOptions): Session {
  const tools = builtinTools(options);
  return Session.create({
    ...options,
    createClient: (settings, sessionId) =>
      createModelClient(settings.provider, {
        sessionId,
        family: settings.family,
        originator: options.originator,
        version: options.cliVersion,
      }),
    createTools: tools.createTools,
    dispose: tools.dispose,
  });
}

export { findLatestRollout, findRolloutById, findRolloutsByIdPrefix, readRollout } from './resume.js';
export { NON_INTERACTIVE_DENIAL, Session, type SessionOptions } from './session.js';
export type { TurnSettings } from './turn-context.js';
