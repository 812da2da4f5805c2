// The one exit-code table of every `conduit` command (docs/exec.md), so a script or @openai/codex-sdk can
// tell a failed turn from a typo in a flag: 0 done, 1 the work failed, 2 usage or configuration error,
// 128 + signal number when a signal interrupted the run (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).

import { constants } from 'node:os';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The signals `conduit exec` treats like Ctrl-C. */
export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

/** The shell's convention for a run ended by `signal`: 128 + its number. */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
