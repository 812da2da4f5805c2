import { UserError } from '../config/errors.js';

/**
 * The policy needs an OS sandbox and none works here. The message says why and what to install or change;
 * the command is never run unsandboxed instead.
 */
export class SandboxUnavailableError extends UserError {
  override name = 'SandboxUnavailableError';
}
