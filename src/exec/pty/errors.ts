// Kept apart from the manager so the tool handlers can name it without loading node-pty (a native module
// loaded only by sessions that use PTY tools).

export class UnknownPtySessionError extends Error {
  override name = 'UnknownPtySessionError';

  constructor(readonly sessionId: number) {
    super(`unknown session id ${sessionId} (it exited, was closed, or never existed)`);
  }
}
