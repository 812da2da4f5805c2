// The `abort` review decision stops the whole turn, not just the call: handlers throw this and the router
// (matching on `name`) rethrows it to the session, which ends the turn as interrupted.

export class TurnAbortedError extends Error {
  override name = 'TurnAbortedError';

  constructor(readonly callId: string) {
    super(`the user aborted the turn at call ${callId}`);
  }
}
