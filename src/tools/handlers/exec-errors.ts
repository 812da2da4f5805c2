// Failures around running a command, as the model sees them. A command that could not start (missing
// program or cwd, no usable sandbox) is the model's to react to; an `abort` decision or an unexpected bug
// is not, and is rethrown.

import { UserError } from '../../config/errors.js';

/** `execution error: <why>` for failures the model can act on; rethrows anything else. */
export function executionError(err: unknown): string {
  if (err instanceof UserError) return `execution error: ${err.message}`;
  throw err;
}
