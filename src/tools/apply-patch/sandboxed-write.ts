// Writes a verified plan through the sandboxed writer (writer-main.ts): `node dist/patch-writer.js` run by
// the same sandbox runner as shell commands, so the policy, not a path check made earlier, decides where
// the bytes land. Checking a path and then writing it from this unsandboxed process loses a race against
// a sandboxed command that swaps a directory for a symlink in between; Node has no openat/O_NOFOLLOW walk
// that would close that window, and the sandbox closes it for free.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunSandboxed } from '../../exec/types.js';
import type { SandboxPolicy } from '../../protocol/policy.js';
import { runSandboxed as platformRunSandboxed } from '../../sandbox/run.js';
import type { CommittedFile } from './commit.js';
import { PatchApplyError } from './errors.js';
import type { PlannedFile } from './plan.js';
import { parseWriterReply, writerRequest } from './writer-protocol.js';

/** Generous: the writer is one node start-up plus a few file writes, but the machine may be loaded. */
const WRITER_TIMEOUT_MS = 120_000;

/**
 * dist/patch-writer.js beside the bundle's chunks; when running from the TypeScript sources (the tests),
 * the built copy in the package's dist/.
 */
export function patchWriterPath(): string {
  for (const relative of ['./patch-writer.js', '../../../dist/patch-writer.js']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new PatchApplyError(
    'the sandboxed patch writer (dist/patch-writer.js) is missing: run `npm run build`',
  );
}

export interface SandboxedWriteOptions {
  policy: SandboxPolicy;
  cwd: string;
  /** $TMPDIR, a writable root under workspace-write: the same value the plan's safety check used. */
  tmpdir?: string;
  runSandboxed?: RunSandboxed;
}

export async function commitPlanSandboxed(
  files: Iterable<PlannedFile>,
  options: SandboxedWriteOptions,
): Promise<CommittedFile[]> {
  const run = options.runSandboxed ?? platformRunSandboxed;
  const result = await run({
    params: {
      command: [process.execPath, patchWriterPath()],
      cwd: options.cwd,
      env: options.tmpdir ? { TMPDIR: options.tmpdir } : {},
      stdin: writerRequest(files),
      timeoutMs: WRITER_TIMEOUT_MS,
    },
    policy: options.policy,
    sandbox: 'platform',
  });
  const reply = parseWriterReply(result.stdout.text);
  if (!reply) {
    const output = `${result.stdout.text}${result.stderr.text}`.trim();
    throw new PatchApplyError(
      `Failed to write the patch: the sandboxed writer exited with ${result.exitCode}${output ? `: ${output}` : ''}`,
    );
  }
  if (!reply.ok) throw new PatchApplyError(reply.error);
  return reply.files;
}
