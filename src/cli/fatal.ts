// Turns any error that escapes a command into one readable line and an exit code. User errors (bad config,
// bad flags) exit 2 with their message alone; anything else exits 1 and says it is a bug, without a stack
// trace unless CONDUIT_DEBUG is set.

import { UserError } from '../index.js';

export function reportFatal(err: unknown): never {
  if (err instanceof UserError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(err.exitCode);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`conduit: internal error: ${message}\n`);
  if (process.env.CONDUIT_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('(set CONDUIT_DEBUG=1 for a stack trace, and please report this)\n');
  process.exit(1);
}
