// Commands in the editor's terminal (`terminal/*`) when it offers terminals. A client terminal runs outside
// Conduit's sandbox, so only runs the policy already lets go unsandboxed (full access, or an approved
// escalation) go there; every sandboxed run stays in Conduit's sandbox.

import type { AgentContext, ClientCapabilities } from '@agentclientprotocol/sdk';
import type { CapturedOutput, RunSandboxed, SandboxedExecResult } from '../../index.js';

/** What the editor keeps of a command's output (it truncates from the start beyond this). */
export const TERMINAL_OUTPUT_BYTE_LIMIT = 1024 * 1024;
const TIMEOUT_EXIT_CODE = 124;

export interface ClientTerminalOptions {
  client: AgentContext;
  /** The ACP session id (known once the core session exists). */
  sessionId: () => string;
  capabilities: ClientCapabilities | undefined;
  fallback: RunSandboxed;
  /** Shows the terminal in the call's tool call (resolves once the update is queued after its `tool_call`). */
  onTerminal(callId: string, terminalId: string): Promise<void>;
}

function captured(text: string): CapturedOutput {
  return {
    text,
    totalBytes: Buffer.byteLength(text),
    droppedBytes: 0,
    totalLines: text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
  };
}

export function clientTerminalRunner(options: ClientTerminalOptions): RunSandboxed {
  const { client, fallback } = options;
  if (!options.capabilities?.terminal) return fallback;
  return async (req): Promise<SandboxedExecResult> => {
    if (req.sandbox !== 'none' && req.policy.type !== 'danger-full-access') return fallback(req);
    const { command, cwd, env, timeoutMs, signal } = req.params;
    const started = performance.now();
    const terminal = await client.createTerminal({
      sessionId: options.sessionId(),
      command: command[0],
      args: command.slice(1),
      cwd,
      env: Object.entries(env).map(([name, value]) => ({ name, value })),
      outputByteLimit: TERMINAL_OUTPUT_BYTE_LIMIT,
    });
    let timedOut = false;
    let interrupted = false;
    const kill = () => void terminal.kill().catch(() => {});
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          kill();
        }, timeoutMs)
      : undefined;
    const onAbort = () => {
      interrupted = true;
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (req.callId) await options.onTerminal(req.callId, terminal.id);
      const exit = await terminal.waitForExit();
      const { output, truncated } = await terminal.currentOutput();
      const text = truncated ? `[earlier output truncated by the editor]\n${output}` : output;
      const exitCode = timedOut ? TIMEOUT_EXIT_CODE : (exit.exitCode ?? -1);
      return {
        exitCode,
        signal: exit.signal ?? undefined,
        stdout: captured(text),
        stderr: captured(''),
        aggregated: captured(text),
        durationMs: performance.now() - started,
        timedOut,
        interrupted,
        sandboxDenied: false,
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      await terminal.release().catch(() => {});
    }
  };
}
