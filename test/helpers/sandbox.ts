// For suites that run commands (or patches) under a real OS sandbox: where none works here (no bwrap, user
// namespaces blocked), they skip with the reason in their name instead of failing obscurely.

import { describe, it } from 'vitest';
import { explainUnavailable, probeSandbox } from '../../src/sandbox/probe.js';

const probe = await probeSandbox();
const works = probe.platform === 'darwin' ? probe.seatbelt : probe.bwrap.works;

/** Why sandboxed suites are skipped here, or undefined when the sandbox works. */
export const NO_SANDBOX: string | undefined = works ? undefined : explainUnavailable(probe);

/** `describe`, or a skipped `describe` whose title carries the reason. */
export function describeSandboxed(name: string, fn: () => void): void {
  if (NO_SANDBOX === undefined) describe(name, fn);
  else describe.skip(`${name} [skipped: no working sandbox: ${NO_SANDBOX}]`, fn);
}

/** `it`, or a skipped `it` whose title carries the reason (for the sandboxed tests of a mixed suite). */
export function itSandboxed(name: string, fn: () => Promise<void> | void, timeout?: number): void {
  if (NO_SANDBOX === undefined) it(name, fn, timeout);
  else it.skip(`${name} [skipped: no working sandbox: ${NO_SANDBOX}]`, fn);
}
