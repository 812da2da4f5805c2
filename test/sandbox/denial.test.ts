import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../src/exec/types.js';
import { isLikelySandboxDenied } from '../../src/sandbox/denial.js';

function result(exitCode: number, stderr: string, extra: Partial<ExecResult> = {}): ExecResult {
  const out = (text: string) => ({ text, totalBytes: text.length, droppedBytes: 0, totalLines: 1 });
  return {
    exitCode,
    stdout: out(''),
    stderr: out(stderr),
    aggregated: out(stderr),
    durationMs: 5,
    timedOut: false,
    interrupted: false,
    ...extra,
  };
}

describe('isLikelySandboxDenied', () => {
  it('recognises the denial texts of bwrap, seccomp and Landlock, case-insensitively', () => {
    expect(
      isLikelySandboxDenied(result(1, "touch: cannot touch '/etc/x': Read-only file system"), true),
    ).toBe(true);
    expect(isLikelySandboxDenied(result(1, 'Error: connect EPERM: Operation not permitted'), true)).toBe(
      true,
    );
    expect(isLikelySandboxDenied(result(2, 'sh: 1: cannot create /etc/x: Read-only file system'), true)).toBe(
      true,
    );
    expect(isLikelySandboxDenied(result(1, 'PermissionError: [Errno 13] Permission denied'), true)).toBe(
      true,
    );
  });

  it('ignores successes, unsandboxed runs, timeouts and interrupts', () => {
    expect(isLikelySandboxDenied(result(0, 'Read-only file system'), true)).toBe(false);
    expect(isLikelySandboxDenied(result(1, 'Read-only file system'), false)).toBe(false);
    expect(isLikelySandboxDenied(result(124, 'permission denied', { timedOut: true }), true)).toBe(false);
    expect(isLikelySandboxDenied(result(137, 'permission denied', { interrupted: true }), true)).toBe(false);
  });

  it('never counts usage errors or command-not-found without a telltale text', () => {
    for (const code of [2, 126, 127]) expect(isLikelySandboxDenied(result(code, 'oops'), true)).toBe(false);
    expect(isLikelySandboxDenied(result(1, 'test failed'), true)).toBe(false);
  });

  it('counts a seccomp kill (128 + SIGSYS)', () => {
    expect(isLikelySandboxDenied(result(159, ''), true)).toBe(true);
    expect(isLikelySandboxDenied(result(159, '', { signal: 'SIGSYS' }), true)).toBe(true);
  });
});
