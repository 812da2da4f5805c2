// A real ToolContext (config loaded from a fresh home) that records the events handlers emit.

import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { ToolEvent } from '../../src/protocol/tool-events.js';
import type { ToolCall, ToolContext } from '../../src/tools/types.js';

export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export async function toolContext(signal: AbortSignal = new AbortController().signal) {
  const { config } = await loadConfig({
    conduitHome: tempDir('conduit-mcp-home-'),
    cwd: tempDir('conduit-mcp-cwd-'),
    env: {},
  });
  const events: ToolEvent[] = [];
  let calls = 0;
  const ctx = (callId = `call_${++calls}`): ToolContext => ({
    callId,
    turnId: 'turn_1',
    cwd: config.cwd,
    approvalPolicy: config.approvalPolicy,
    sandboxPolicy: config.sandboxPolicy,
    shellEnvironmentPolicy: config.shellEnvironmentPolicy,
    signal,
    emit: (event) => events.push(event),
    requestApproval: async () => 'denied',
  });
  return { ctx, events, config };
}

export function functionCall(name: string, args: unknown, callId = 'call_x'): ToolCall {
  return { callId, name, kind: 'function', input: typeof args === 'string' ? args : JSON.stringify(args) };
}
