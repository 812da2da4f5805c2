import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/types.js';
import { PtySessionManager } from '../../../src/exec/pty/manager.js';
import { scriptArgv } from '../../../src/exec/user-shell.js';
import { ApprovalCache } from '../../../src/tools/approval/cache.js';
import {
  createShellCommandHandler,
  createShellHandler,
  createShellToolHandlers,
} from '../../../src/tools/handlers/shell.js';
import { ToolRegistry } from '../../../src/tools/registry.js';
import { dispatchToolCall } from '../../../src/tools/router.js';
import { itSandboxed } from '../../helpers/sandbox.js';
import {
  call,
  makeConfig,
  makeContext,
  makeWorkspace,
  modelText,
  removeWorkspace,
  ScriptedApprover,
  type Workspace,
  workspaceWrite,
} from './helpers.js';

let ws: Workspace;
let config: Config;
beforeAll(async () => {
  ws = makeWorkspace();
  config = await makeConfig(ws);
});
afterAll(() => removeWorkspace(ws));

describe('tool variants', () => {
  it('picks shell, shell_command or the PTY pair from the features', async () => {
    const names = (features: Record<string, boolean>) =>
      createShellToolHandlers({
        config: { ...config, features },
        approvals: new ApprovalCache(),
        ptySessions: new PtySessionManager(),
      }).map((h) => h.name);
    expect(names({})).toEqual(['shell']);
    expect(names({ shell_command_tool: true })).toEqual(['shell_command']);
    expect(names({ unified_exec: true, shell_command_tool: true })).toEqual(['exec_command', 'write_stdin']);
  });

  it('needs a PTY session manager for unified_exec', () => {
    expect(() =>
      createShellToolHandlers({
        config: { ...config, features: { unified_exec: true } },
        approvals: new ApprovalCache(),
      }),
    ).toThrow(/PtySessionManager/);
  });

  it('advertises strict-free object schemas without extra properties', () => {
    const [shell] = createShellToolHandlers({ config, approvals: new ApprovalCache() });
    expect(shell.spec).toMatchObject({
      type: 'function',
      name: 'shell',
      strict: false,
      parameters: { type: 'object', required: ['command'], additionalProperties: false },
    });
  });
});

describe('shell', () => {
  const run = (args: unknown, cfg = config) => {
    const ctx = makeContext(cfg, 'never', workspaceWrite, new ScriptedApprover());
    const registry = new ToolRegistry([createShellHandler({ config: cfg, approvals: new ApprovalCache() })]);
    return { ctx, out: dispatchToolCall(registry, call('shell', args), ctx) };
  };

  itSandboxed('runs in workdir relative to the session cwd', async () => {
    const out = await run({ command: ['bash', '-c', 'mkdir -p sub && cd sub && pwd'] }).out;
    expect(modelText(out.output)).toBe(`${join(ws.cwd, 'sub')}\n`);
    const inSub = await run({ command: ['pwd'], workdir: 'sub' }).out;
    expect(modelText(inSub.output)).toBe(`${join(ws.cwd, 'sub')}\n`);
  });

  itSandboxed('reports a timeout with exit code 124 and the timeout line first', async () => {
    const out = await run({ command: ['bash', '-c', 'echo started; sleep 30'], timeout_ms: 300 }).out;
    expect(out.success).toBe(false);
    const parsed = JSON.parse(out.output as string);
    expect(parsed.metadata.exit_code).toBe(124);
    expect(parsed.output).toBe('command timed out after 300 milliseconds\nstarted\n');
  });

  it('reports a command that cannot start as an execution error', async () => {
    const { ctx, out } = run({ command: ['true'], workdir: 'no/such/dir' });
    const result = await out;
    expect(result.success).toBe(false);
    expect(result.output).toMatch(/^execution error: /);
    expect(ctx.events.at(-1)).toMatchObject({ type: 'exec_command_end', exit_code: -1 });
  });

  it('names the bad argument', async () => {
    const out = await run({ command: 'ls' }).out;
    expect(out).toEqual({
      output: expect.stringMatching(/^invalid shell arguments at command: /),
      success: false,
    });
  });

  itSandboxed('formats output as plain text when the model has the freeform apply_patch tool', async () => {
    const gpt5 = await makeConfig(ws, 'model = "gpt-5"');
    const out = await run({ command: ['bash', '-c', 'echo hi; exit 2'] }, gpt5).out;
    expect(out.output).toMatch(/^Exit code: 2\nWall time: \d+\.\d seconds\nOutput:\nhi\n$/);
  });

  itSandboxed('routes a patch sent through the shell to apply_patch', async () => {
    const patch = '*** Begin Patch\n*** Add File: via-shell.txt\n+patched\n*** End Patch\n';
    const { ctx, out } = run({ command: ['bash', '-lc', `apply_patch <<'EOF'\n${patch}EOF\n`] });
    const result = await out;
    expect(result.success).toBe(true);
    expect(readFileSync(join(ws.cwd, 'via-shell.txt'), 'utf8')).toBe('patched\n');
    expect(ctx.events.map((e) => e.type)).toEqual(['patch_apply_begin', 'patch_apply_end']);
  });
});

describe('shell_command', () => {
  itSandboxed("runs the script in the user's login shell", async () => {
    const approvals = new ApprovalCache();
    const handler = createShellCommandHandler({ config, approvals, userShell: '/bin/bash' });
    const ctx = makeContext(config, 'never', workspaceWrite, new ScriptedApprover());
    const out = await handler.handle(
      call('shell_command', { command: 'echo "$0" > shell.txt && echo made' }),
      ctx,
    );
    expect(out.success).toBe(true);
    expect(modelText(out.output)).toContain('made');
    expect(readFileSync(join(ws.cwd, 'shell.txt'), 'utf8')).toBe('/bin/bash\n');
    expect(ctx.events[0]).toMatchObject({
      type: 'exec_command_begin',
      command: ['/bin/bash', '-lc', expect.any(String)],
    });
  });

  it('builds the argv for each kind of login shell', () => {
    expect(scriptArgv('/usr/bin/zsh', 'ls')).toEqual(['/usr/bin/zsh', '-lc', 'ls']);
    expect(scriptArgv('/usr/bin/pwsh', 'ls')).toEqual(['/usr/bin/pwsh', '-NoLogo', '-Command', 'ls']);
    expect(scriptArgv('/usr/bin/fish', 'ls')).toEqual(['/bin/sh', '-c', 'ls']);
  });
});

describe('danger-full-access', () => {
  it('runs without a sandbox and under on-request asks only before dangerous commands', async () => {
    const approver = new ScriptedApprover(['denied']);
    const ctx = makeContext(config, 'on-request', { type: 'danger-full-access' }, approver);
    const handler = createShellHandler({ config, approvals: new ApprovalCache() });
    const target = join(ws.outside, 'full-access.txt');
    const written = await handler.handle(
      call('shell', { command: ['bash', '-c', `echo free > ${target}`] }),
      ctx,
    );
    expect(written.success).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('free\n');
    const removed = await handler.handle(call('shell', { command: ['rm', '-f', target] }), ctx);
    expect(removed).toEqual({ output: 'exec command rejected by user', success: false });
    expect(existsSync(target)).toBe(true);
    expect(approver.requests).toHaveLength(1);
  });
});
