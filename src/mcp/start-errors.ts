// Turns what went wrong while starting a server into one message a user can act on: which server, what
// happened (not found, exited, timed out, noise on stdout, refused connection) and what to change.

import { LoginRequiredError } from './auth/errors.js';
import { SpawnError, type StdioDiagnostics } from './stdio-transport.js';

export type StartPhase = 'spawn' | 'sign-in' | 'connect' | 'initialize' | 'tools/list';

export interface StartFailure {
  server: string;
  phase: StartPhase;
  error: unknown;
  /** Set when the start-up deadline fired. */
  timeoutSec?: number;
  /** Stdio servers only. */
  diagnostics?: StdioDiagnostics;
}

const STDERR_LINES_SHOWN = 8;

export function describeStartFailure(f: StartFailure): string {
  const name = `MCP server '${f.server}'`;
  const diag = f.diagnostics;
  let message: string;
  if (f.error instanceof LoginRequiredError) {
    // Already names the server and the command that fixes it.
    message = f.error.message;
  } else if (f.error instanceof SpawnError) {
    message = `${name} failed to start: ${f.error.message} (check \`command\`/\`cwd\` in [mcp_servers.${f.server}])`;
  } else if (f.timeoutSec !== undefined) {
    // Checked before the exit: a server we stopped because it timed out has exited too.
    message =
      `${name} did not finish ${f.phase} within ${f.timeoutSec} s; if it is only slow to start ` +
      `(a first \`npx\` download, a cold cache), raise startup_timeout_sec in [mcp_servers.${f.server}]`;
  } else if (diag?.exit) {
    message = `${name} ${describeExit(diag.exit)} during ${f.phase}`;
  } else {
    message = `${name} failed during ${f.phase}: ${errorText(f.error)}`;
  }
  if (diag?.nonJsonLines.length) {
    message += `\n  it wrote non-JSON to stdout (servers must log to stderr): ${diag.nonJsonLines.map((l) => JSON.stringify(l)).join(', ')}`;
  }
  if (diag?.stderrTail.length && !(f.error instanceof SpawnError)) {
    const tail = diag.stderrTail.slice(-STDERR_LINES_SHOWN);
    message += `\n  last lines of its stderr:\n${tail.map((line) => `    ${line}`).join('\n')}`;
  }
  return message;
}

export function describeExit(exit: NonNullable<StdioDiagnostics['exit']>): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

/** An error's message with its causes (fetch hides ECONNREFUSED in `cause`). */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    if (current instanceof Error) {
      const code = (current as NodeJS.ErrnoException).code;
      // OAuth errors often come without a description: their error code is the message.
      const text = current.message || (current as { errorCode?: string }).errorCode || current.name;
      parts.push(code && !text.includes(code) ? `${text} (${code})` : text);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(': ');
}
