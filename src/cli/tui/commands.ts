// Slash commands and `!cmd`. Each command acts through the controller (ops to the session, cells in the
// transcript, a picker); nothing here draws.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  APPROVAL_PRESETS,
  type Config,
  findApprovalPreset,
  listSessions,
  type ReasoningEffort,
  type SandboxPolicy,
} from '../../index.js';
import type { TuiController } from './controller.js';
import type { SlashCommand } from './model/completion.js';
import { foldLines } from './render/fold.js';
import { splitLines, stripControls } from './render/text.js';

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  {
    name: 'model',
    args: '[model] [effort]',
    description: 'switch the model (and reasoning effort) for the next turns',
  },
  { name: 'approvals', args: '[preset]', description: 'choose what the agent may do without asking' },
  { name: 'status', description: 'model, provider, sandbox, tokens, context left, session' },
  { name: 'diff', description: 'show what changed in the working tree (git diff)' },
  { name: 'compact', description: 'summarise the conversation to free context' },
  { name: 'new', description: 'start a new session' },
  { name: 'resume', args: '[id]', description: 'reopen a saved session' },
  { name: 'mcp', description: 'MCP servers, their state and tools' },
  { name: 'init', description: 'write an AGENTS.md with instructions for this project' },
  { name: 'help', description: 'list the commands and keys' },
  { name: 'quit', description: 'leave (the session is saved)' },
];

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
const MAX_CAPTURE_BYTES = 1024 * 1024;

export const INIT_PROMPT = `Generate a file named AGENTS.md that serves as a contributor guide for this repository.
Look at the repository first (layout, build and test commands, code style, conventions) and keep the file short:
sections for project structure, build/test/dev commands, coding style, testing guidelines, and commit/PR
guidelines, with concrete commands and paths from this repository.`;

export interface CommandContext {
  controller: TuiController;
  config: Config;
  /** Lines describing the MCP servers and their tools (for /mcp). */
  describeMcp: () => string[];
}

export function runSlashCommand(input: string, ctx: CommandContext): void {
  const [name, ...args] = input.slice(1).trim().split(/\s+/);
  const { controller } = ctx;
  const t = controller.transcript;
  const info = (title: string, lines: string[]) => {
    t.add({ kind: 'info', title, lines });
    controller.changed();
  };
  switch (name) {
    case 'model':
      modelCommand(args, ctx);
      return;
    case 'approvals':
      approvalsCommand(args, ctx);
      return;
    case 'status':
      info('Status', statusLines(ctx));
      return;
    case 'diff':
      diffCommand(ctx);
      return;
    case 'compact':
      if (controller.busy) {
        info('Compact', ['Wait for the turn to finish (or press Esc), then /compact.']);
        return;
      }
      controller.transcript.busySince = Date.now();
      controller.transcript.activity = 'Compacting';
      controller.submit({ type: 'compact' });
      controller.changed();
      return;
    case 'new':
      t.add({ kind: 'info', lines: ['Starting a new session.'] });
      void controller.replaceSession();
      return;
    case 'resume':
      resumeCommand(args, ctx);
      return;
    case 'mcp':
      info('MCP servers', ctx.describeMcp());
      return;
    case 'init': {
      const target = join(t.info?.cwd ?? ctx.config.cwd, 'AGENTS.md');
      if (existsSync(target)) {
        info('Init', [`${target} already exists; not overwriting it.`]);
        return;
      }
      controller.sendPrompt(INIT_PROMPT);
      return;
    }
    case 'help':
      info('Commands', [
        ...SLASH_COMMANDS.map((c) => `/${c.name}${c.args ? ` ${c.args}` : ''} — ${c.description}`),
        '!cmd — run a shell command yourself; @path — mention a file (Tab completes)',
        'Enter send · Shift/Alt+Enter, Ctrl+J or \\ newline · ↑/↓ history · Esc interrupt · Ctrl+C twice quit',
      ]);
      return;
    case 'quit':
    case 'exit':
      void controller.quit();
      return;
    default:
      info('Unknown command', [`/${name} is not a command; /help lists them.`]);
      return;
  }
}

function modelCommand(args: string[], ctx: CommandContext): void {
  const { controller } = ctx;
  const t = controller.transcript;
  const current = t.info;
  if (args.length === 0) {
    t.add({
      kind: 'info',
      title: 'Model',
      lines: [
        `current: ${current?.model ?? ctx.config.model}${current?.effort ? ` (effort ${current.effort})` : ''}`,
        `usage: /model NAME [${EFFORTS.join('|')}]`,
      ],
    });
    controller.changed();
    return;
  }
  const [model, effort] = args;
  if (effort !== undefined && !EFFORTS.includes(effort as ReasoningEffort)) {
    t.add({ kind: 'error', text: `/model: effort "${effort}" is not one of ${EFFORTS.join(', ')}` });
    controller.changed();
    return;
  }
  controller.submit({
    type: 'override_turn_context',
    model,
    ...(effort ? { effort: effort as ReasoningEffort } : {}),
  });
  if (current) {
    current.model = model;
    if (effort) current.effort = effort;
  }
  t.add({
    kind: 'info',
    lines: [`Model set to ${model}${effort ? ` with ${effort} effort` : ''} for the next turns.`],
  });
  controller.changed();
}

function sandboxFor(mode: string, config: Config): SandboxPolicy {
  if (mode === 'danger-full-access') return { type: 'danger-full-access' };
  if (mode === 'read-only') return { type: 'read-only' };
  if (config.sandboxPolicy.type === 'workspace-write') return config.sandboxPolicy;
  return {
    type: 'workspace-write',
    writableRoots: [],
    networkAccess: false,
    excludeTmpdirEnvVar: false,
    excludeSlashTmp: false,
  };
}

function applyPreset(id: string, ctx: CommandContext): void {
  const { controller } = ctx;
  const preset = findApprovalPreset(id);
  if (!preset) {
    controller.transcript.add({
      kind: 'error',
      text: `/approvals: no preset "${id}"; choose ${APPROVAL_PRESETS.map((p) => p.id).join(', ')}`,
    });
    controller.changed();
    return;
  }
  controller.submit({
    type: 'override_turn_context',
    approval_policy: preset.approvalPolicy,
    sandbox_policy: sandboxFor(preset.sandboxMode, ctx.config),
  });
  const info = controller.transcript.info;
  if (info) {
    info.approvalPolicy = preset.approvalPolicy;
    info.sandbox = preset.sandboxMode;
  }
  controller.transcript.add({ kind: 'info', lines: [`Approvals: ${preset.label} — ${preset.description}`] });
  controller.changed();
}

function approvalsCommand(args: string[], ctx: CommandContext): void {
  if (args[0]) {
    applyPreset(args[0], ctx);
    return;
  }
  ctx.controller.openPicker({
    title: 'Approvals',
    items: APPROVAL_PRESETS.map((p) => ({ label: p.label, detail: p.description, value: p.id })),
    onPick: (id) => applyPreset(id, ctx),
  });
}

function resumeCommand(args: string[], ctx: CommandContext): void {
  const { controller } = ctx;
  const sessions = listSessions(ctx.config.conduitHome, 20).filter(
    (s) => s.id !== controller.transcript.info?.sessionId,
  );
  const resume = (path: string) => {
    controller.transcript.add({ kind: 'info', lines: ['Resuming a saved session.'] });
    void controller.replaceSession(path);
  };
  if (args[0]) {
    const found = sessions.find((s) => s.id === args[0] || s.id.startsWith(args[0]));
    if (!found) {
      controller.transcript.add({ kind: 'error', text: `/resume: no saved session with id ${args[0]}` });
      controller.changed();
      return;
    }
    resume(found.path);
    return;
  }
  if (sessions.length === 0) {
    controller.transcript.add({ kind: 'info', lines: ['No saved sessions to resume.'] });
    controller.changed();
    return;
  }
  controller.openPicker({
    title: 'Resume a session',
    items: sessions.map((s) => ({
      label: `${s.timestamp.replace('T', ' ').slice(0, 16)}  ${stripControls(s.preview.split('\n')[0] || '(no prompt)')}`,
      detail: s.cwd,
      value: s.path,
    })),
    onPick: resume,
  });
}

function contextLeft(ctx: CommandContext): string {
  const t = ctx.controller.transcript;
  const window = t.contextWindow;
  const used = t.usage?.last_token_usage.total_tokens;
  if (!window || used === undefined) return 'unknown';
  return `${Math.max(0, Math.round(100 - (used / window) * 100))}% (${used} of ${window} tokens used)`;
}

export function statusLines(ctx: CommandContext): string[] {
  const t = ctx.controller.transcript;
  const i = t.info;
  const total = t.usage?.total_token_usage;
  return [
    `model: ${i?.model ?? ctx.config.model}${i?.effort ? ` (effort ${i.effort})` : ''}`,
    `provider: ${i?.providerId ?? ctx.config.modelProviderId} (${ctx.config.modelProvider.baseUrl})`,
    `directory: ${i?.cwd ?? ctx.config.cwd}`,
    `approvals: ${i?.approvalPolicy ?? ctx.config.approvalPolicy} · sandbox: ${i?.sandbox ?? ctx.config.sandboxMode}`,
    `tokens used: ${total ? `${total.total_tokens} (input ${total.input_tokens}, output ${total.output_tokens})` : '0'}`,
    `context left: ${contextLeft(ctx)}`,
    `session: ${i?.sessionId ?? '-'}`,
    `file: ${i?.rolloutPath ?? '(not saved)'}`,
  ];
}

function diffCommand(ctx: CommandContext): void {
  const { controller } = ctx;
  const cwd = controller.transcript.info?.cwd ?? ctx.config.cwd;
  const git = (args: string[]) => capture('git', args, cwd);
  void (async () => {
    const inside = await git(['rev-parse', '--is-inside-work-tree']);
    if (inside.code !== 0) {
      const last = controller.transcript.lastDiff;
      controller.transcript.add({
        kind: 'diff',
        title: 'Changes made by the agent in the last turn (not a git repository)',
        diff: last,
      });
      controller.changed();
      return;
    }
    const tracked = await git(['diff', '--no-color', 'HEAD']);
    const fallback = tracked.code === 0 ? tracked : await git(['diff', '--no-color']);
    const untracked = await git(['ls-files', '--others', '--exclude-standard']);
    const newFiles = splitLines(untracked.stdout).map((f) => `+++ ${f} (untracked)`);
    controller.transcript.add({
      kind: 'diff',
      title: `git diff in ${cwd}`,
      diff: [fallback.stdout.trimEnd(), ...newFiles].filter(Boolean).join('\n'),
    });
    controller.changed();
  })();
}

/** Runs a program and collects its output (bounded), for /diff and `!cmd`. */
export function capture(
  program: string,
  args: string[],
  cwd: string,
  signal?: AbortSignal,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      detached: process.platform !== 'win32',
    });
    let out = '';
    const add = (chunk: Buffer) => {
      if (out.length < MAX_CAPTURE_BYTES) out += chunk.toString('utf8');
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    child.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ABORT_ERR') return;
      resolve({ code: 127, stdout: `${out}${err.message}\n` });
    });
    child.on('close', (code) => resolve({ code, stdout: out }));
    signal?.addEventListener('abort', () => {
      // The whole process group, so a pipeline's children stop too.
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    });
  });
}

/** `!cmd`: the user's own shell command, run in the session's directory; its output becomes a cell. */
export function runUserCommand(script: string, ctx: CommandContext): void {
  const { controller } = ctx;
  const cwd = controller.transcript.info?.cwd ?? ctx.config.cwd;
  const abort = new AbortController();
  controller.userCommand = abort;
  controller.transcript.activity = `Running ${script}`;
  controller.changed();
  const started = Date.now();
  const shell = process.env.SHELL || '/bin/sh';
  void capture(shell, ['-c', script], cwd, abort.signal).then(({ code, stdout }) => {
    controller.userCommand = undefined;
    controller.transcript.activity = '';
    const folded = foldLines(splitLines(stripControls(stdout)), 5, 5);
    controller.transcript.add({
      kind: 'exec',
      command: script,
      exitCode: abort.signal.aborted ? undefined : (code ?? 1),
      durationMs: Date.now() - started,
      output: folded.lines,
      hidden: folded.hidden,
      hiddenAt: folded.at,
      byUser: true,
    });
    controller.changed();
  });
}
