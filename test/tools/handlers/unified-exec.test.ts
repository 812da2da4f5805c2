import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/types.js';
import { wrapWithFdFiles } from '../../../src/exec/pty/fd-files.js';
import { PtySessionManager } from '../../../src/exec/pty/manager.js';
import { ApprovalCache } from '../../../src/tools/approval/cache.js';
import { createShellToolHandlers } from '../../../src/tools/handlers/shell.js';
import { formatPtyResult } from '../../../src/tools/handlers/unified-exec.js';
import type { ToolHandler } from '../../../src/tools/types.js';
import { itSandboxed } from '../../helpers/sandbox.js';
import {
  call,
  makeConfig,
  makeContext,
  makeWorkspace,
  removeWorkspace,
  ScriptedApprover,
  type Workspace,
  workspaceWrite,
} from './helpers.js';

let ws: Workspace;
let config: Config;
let sessions: PtySessionManager;
let execCommand: ToolHandler;
let writeStdin: ToolHandler;

beforeAll(async () => {
  ws = makeWorkspace();
  config = await makeConfig(ws, 'model = "gpt-oss-120b"\n[features]\nunified_exec = true\n');
  sessions = new PtySessionManager({ maxSessions: 4 });
  [execCommand, writeStdin] = createShellToolHandlers({
    config,
    approvals: new ApprovalCache(),
    ptySessions: sessions,
  });
});
afterAll(async () => {
  await sessions.closeAll();
  removeWorkspace(ws);
});

const context = (approver = new ScriptedApprover()) => makeContext(config, 'never', workspaceWrite, approver);

describe('exec_command and write_stdin', () => {
  itSandboxed('runs an interactive program in a sandboxed PTY and talks to it until it exits', async () => {
    const ctx = context();
    const startCall = call('exec_command', {
      cmd: 'read -r name; echo "got:$name"',
      login: false,
      yield_time_ms: 250,
    });
    const started = await execCommand.handle(startCall, ctx);
    expect(started.success).toBe(true);
    const id = Number(/Process running with session ID (\d+)/.exec(started.output as string)?.[1]);
    expect(id).toBeGreaterThan(0);

    const finished = await writeStdin.handle(
      call('write_stdin', { session_id: id, chars: 'conduit\n', yield_time_ms: 30_000 }),
      ctx,
    );
    expect(finished.output).toMatch(/^Wall time: \d+\.\d{4} seconds\nProcess exited with code 0\nOutput:\n/);
    expect(finished.output).toContain('got:conduit');
    expect(ctx.events[0]).toMatchObject({
      type: 'exec_command_begin',
      call_id: startCall.callId,
      command: ['/bin/bash', '-c', expect.any(String)],
    });
    expect(ctx.events.at(-1)).toMatchObject({
      type: 'exec_command_end',
      exit_code: 0,
      call_id: startCall.callId,
    });

    const gone = await writeStdin.handle(call('write_stdin', { session_id: id, chars: '' }), ctx);
    expect(gone).toEqual({
      output: expect.stringMatching(/^write_stdin failed: unknown session id/),
      success: false,
    });
  });

  itSandboxed('keeps the PTY inside the sandbox: writes outside the workspace fail', async () => {
    const target = join(ws.outside, 'pty.txt');
    const out = await execCommand.handle(
      call('exec_command', { cmd: `echo x > ${target}`, login: false, yield_time_ms: 30_000 }),
      context(),
    );
    expect(out.output).toMatch(/Process exited with code 1/);
    expect(out.output).toMatch(/read-only file system/i);
    expect(existsSync(target)).toBe(false);
  });

  itSandboxed('cuts long output to max_output_tokens', async () => {
    const out = await execCommand.handle(
      call('exec_command', { cmd: 'seq 1 5000', login: false, yield_time_ms: 30_000, max_output_tokens: 50 }),
      context(),
    );
    expect(out.output).toMatch(/Original token count: \d+/);
    expect(out.output).toMatch(/tokens truncated/);
    expect(out.output).toContain('\n5000');
  });

  it('asks before starting a session under untrusted, and does not start it when denied', async () => {
    const approver = new ScriptedApprover(['denied']);
    const ctx = makeContext(config, 'untrusted', workspaceWrite, approver);
    const before = sessions.openSessions;
    const out = await execCommand.handle(call('exec_command', { cmd: 'python3' }), ctx);
    expect(out).toEqual({ output: 'exec command rejected by user', success: false });
    expect(approver.requests).toEqual([
      expect.objectContaining({ command: ['/bin/bash', '-lc', 'python3'] }),
    ]);
    expect(sessions.openSessions).toBe(before);
  });
});

describe('PTY result text', () => {
  it('shows the session id while running and the exit code once done', () => {
    expect(formatPtyResult({ output: 'hi', droppedChars: 0, sessionId: 7, wallTimeMs: 250 }, 100)).toBe(
      'Wall time: 0.2500 seconds\nProcess running with session ID 7\nOutput:\nhi',
    );
    expect(formatPtyResult({ output: '', droppedChars: 0, exitCode: 2, wallTimeMs: 1234.5 }, 100)).toBe(
      'Wall time: 1.2345 seconds\nProcess exited with code 2\nOutput:\n',
    );
  });
});

describe('fd payloads for PTY children', () => {
  it('hands each payload to the program on fds 3, 4, … and deletes the files', async () => {
    const wrapped = await wrapWithFdFiles(
      ['bash', '-c', 'cat <&3; cat <&4'],
      [Buffer.from('first\n'), Buffer.from('second\n')],
    );
    const files = wrapped.argv.filter((arg) => arg.includes('conduit-fd-'));
    expect(files).toHaveLength(2);
    const out = execFileSync(wrapped.argv[0], wrapped.argv.slice(1), { encoding: 'utf8' });
    expect(out).toBe('first\nsecond\n');
    expect(files.filter((file) => existsSync(file))).toEqual([]);
  });
});
