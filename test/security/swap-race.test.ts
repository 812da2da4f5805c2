// The swap race: while `conduit exec` applies 200 patches into workspace/d, a sandboxed process keeps
// exchanging workspace/d with a symlink to a directory outside (renameat2 RENAME_EXCHANGE in a loop).
// Before the patch writer ran inside the sandbox, about 1 patch in 12 landed outside; now none may.
// (Whether a given run hits the window depends on timing; patch-toctou.test.ts hits it every time.)

import type { ChildProcess } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../fake-model/server.js';
import { describeSandboxed } from '../helpers/sandbox.js';
import {
  actors,
  conduitAs,
  execArgs,
  finish,
  homeFor,
  listTree,
  ownedDir,
  ownedSubdir,
  PYTHON,
} from './helpers.js';

const PATCHES = 200;

const SWAPPER = `
import ctypes, time
libc = ctypes.CDLL(None, use_errno=True)
swaps = 0
while True:
    if libc.renameat2(-100, b"d", -100, b"evil", 2) == 0:
        swaps += 1
        if swaps == 1:
            print("swapping", flush=True)
    # Each state lasts a moment, so the planner sees both (a tight loop starves Node's async lstat)
    # and a write some milliseconds later may meet the other one.
    time.sleep(0.002)
`;

let fake: FakeModelServer;
beforeAll(async () => {
  fake = await startFakeModelServer();
});
afterAll(() => fake?.close());

const { run, skipped } = actors();
for (const reason of skipped) it.skip(`swap race ${reason}`, () => {});

describeSandboxed('swap race against apply_patch', () => {
  it.skipIf(!existsSync(PYTHON))(`needs ${PYTHON} for renameat2 through ctypes`, () => {});

  for (const actor of run) {
    it.skipIf(!existsSync(PYTHON))(
      `${actor.label}: ${PATCHES} patches while d and a symlink to outside swap; 0 files outside`,
      async () => {
        const ws = ownedDir(actor, 'conduit-race-ws-');
        const outside = ownedDir(actor, 'conduit-race-outside-');
        ownedSubdir(actor, ws, 'd');
        symlinkSync(outside, join(ws, 'evil'));
        const script = join(ws, 'swap.py');
        writeFileSync(script, SWAPPER);
        const { env } = homeFor(actor);

        // The attacker: a sandboxed process (same policy as the agent's commands) in the workspace.
        const swapper: ChildProcess = conduitAs(
          actor,
          ['sandbox', '--policy', 'workspace-write', '--', PYTHON, script],
          { cwd: ws, env },
        );
        await new Promise<void>((resolve, reject) => {
          swapper.stdout?.once('data', () => resolve());
          swapper.once('exit', (code) => reject(new Error(`the swapper exited early (${code})`)));
        });

        try {
          const calls = Array.from({ length: PATCHES }, (_, i) => ({
            type: 'tool_call' as const,
            name: 'apply_patch',
            callId: `p${i}`,
            arguments: { input: `*** Begin Patch\n*** Add File: d/f${i}.txt\n+patch ${i}\n*** End Patch\n` },
          }));
          fake.enqueue({ steps: calls }, { steps: [{ type: 'text', text: 'done' }] });
          const result = await finish(
            conduitAs(actor, execArgs(fake.url, 'workspace-write', 'race'), { cwd: ws, env }),
          );
          expect(result.stderr).not.toMatch(/Error:.*\n\s+at /); // no stack trace
          expect(listTree(outside)).toEqual([]);
        } finally {
          swapper.kill('SIGKILL');
        }
      },
      300_000,
    );
  }
});
