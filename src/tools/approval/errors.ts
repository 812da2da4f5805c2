// The turn stops as interrupted: on the `abort` review decision (handlers throw this, the router rethrows
// it) or on an interrupt (the session rejects the running tools with it). The session ends the turn with
// `turn_aborted` for either.

export class TurnAbortedError extends Error {
  override name = 'TurnAbortedError';

  /** `callId` is the call whose approval was answered `abort`; absent for an interrupt. */
  constructor(readonly callId?: string) {
    super(callId ? `the user aborted the turn at call ${callId}` : 'the user interrupted the turn');
  }
}
