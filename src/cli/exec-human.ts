// `conduit exec` without --json: a readable log of the turn on stderr. Pure formatting over the event stream;
// the caller decides where the text goes and whether it is coloured.

import type { Event } from '../index.js';
import { shellJoin } from './shell-quote.js';

const MAX_OUTPUT_LINES = 20;

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  italic(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export const COLOURS: Palette = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  italic: sgr(3, 23),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  magenta: sgr(35, 39),
  cyan: sgr(36, 39),
};

const same = (s: string) => s;
export const PLAIN: Palette = {
  bold: same,
  dim: same,
  italic: same,
  red: same,
  green: same,
  yellow: same,
  magenta: same,
  cyan: same,
};

function clip(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines.length <= MAX_OUTPUT_LINES) return lines.join('\n');
  return [...lines.slice(0, MAX_OUTPUT_LINES), `… +${lines.length - MAX_OUTPUT_LINES} lines`].join('\n');
}

export function formatHumanEvent(event: Event, c: Palette, version: string): string | undefined {
  const msg = event.msg;
  switch (msg.type) {
    case 'session_configured': {
      const lines = [
        `conduit ${version}`,
        '--------',
        `workdir: ${msg.cwd}`,
        `model: ${msg.model}`,
        `provider: ${msg.model_provider_id}`,
        `approval: ${msg.approval_policy}`,
        `sandbox: ${msg.sandbox_policy.type}`,
        `session id: ${msg.session_id}`,
        '--------',
      ];
      return c.dim(lines.join('\n'));
    }
    case 'user_message':
      return `${c.bold(c.cyan('user'))}\n${msg.message}`;
    case 'agent_reasoning':
      return `${c.italic(c.magenta('thinking'))}\n${c.italic(msg.text)}`;
    case 'agent_message':
      return `${c.bold(c.magenta('conduit'))}\n${msg.message}`;
    case 'exec_command_begin':
      return `${c.bold(c.magenta('exec'))} ${c.bold(shellJoin(msg.command))} ${c.dim(`in ${msg.cwd}`)}`;
    case 'exec_command_end': {
      const head =
        msg.exit_code === 0
          ? c.green(`succeeded in ${msg.duration_ms}ms:`)
          : c.red(`exited ${msg.exit_code} in ${msg.duration_ms}ms:`);
      const body = clip(msg.aggregated_output);
      return body ? `${head}\n${c.dim(body)}` : head;
    }
    case 'patch_apply_begin': {
      const files = Object.entries(msg.changes).map(
        ([path, change]) => `  ${change.type[0].toUpperCase()} ${path}`,
      );
      return `${c.bold(c.magenta('apply_patch'))} ${msg.auto_approved ? 'auto-approved' : 'approved'}\n${files.join('\n')}`;
    }
    case 'patch_apply_end':
      return msg.success
        ? c.green('apply_patch succeeded')
        : c.red(`apply_patch failed:\n${clip(msg.stderr || msg.stdout)}`);
    case 'mcp_tool_call_begin':
      return `${c.bold(c.magenta('tool'))} ${msg.invocation.server}.${msg.invocation.tool}(${JSON.stringify(msg.invocation.arguments ?? {})})`;
    case 'mcp_tool_call_end': {
      const ok = 'ok' in msg.result && msg.result.ok.isError !== true;
      const what = `${msg.invocation.server}.${msg.invocation.tool}`;
      return ok
        ? c.green(`${what} succeeded in ${msg.duration_ms}ms`)
        : c.red(`${what} failed in ${msg.duration_ms}ms`);
    }
    case 'plan_update': {
      const mark = { completed: '[x]', in_progress: '[>]', pending: '[ ]' } as const;
      const steps = msg.plan.map((p) => `  ${mark[p.status]} ${p.step}`);
      return `${c.bold(c.magenta('plan'))}${msg.explanation ? ` ${msg.explanation}` : ''}\n${steps.join('\n')}`;
    }
    case 'context_compacted':
      return c.dim('(conversation compacted to fit the context window)');
    case 'warning':
      return c.yellow(`warning: ${msg.message}`);
    case 'stream_error':
      return c.yellow(msg.message);
    case 'error':
      return c.red(`ERROR: ${msg.message}`);
    case 'turn_aborted':
      return c.red('turn interrupted');
    case 'token_count':
      return undefined;
    default:
      return undefined;
  }
}
