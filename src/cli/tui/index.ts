// `conduit [PROMPT]` and `conduit resume [ID|--last]`: the interactive terminal. Loads the configuration as
// exec does (same flags, same rollouts, so either can resume the other's sessions), then runs the Ink app
// until the user quits, and prints how to come back to the session.

import { execFile } from 'node:child_process';
import { render } from 'ink';
import { createElement } from 'react';
import {
  type ApprovalPolicy,
  type Config,
  createSession,
  findLatestRollout,
  findRolloutsByIdPrefix,
  loadConfig,
  type McpServerStatus,
  resolveApiKey,
  type SandboxMode,
  UserError,
} from '../../index.js';
import type { GlobalOptions } from '../options.js';
import { VERSION } from '../version.js';
import { type CommandContext, runSlashCommand, runUserCommand, SLASH_COMMANDS } from './commands.js';
import { App } from './components/app.js';
import { TuiController } from './controller.js';
import { fileIndex } from './model/completion.js';
import { historyPath, PromptHistory } from './model/history.js';
import { renderCell } from './render/cells.js';
import { currentHighlighter, loadHighlighter } from './render/highlight.js';
import { colourLevel, createTheme } from './render/theme.js';
import { enterInteractive } from './terminal/modes.js';

const OSS_DEFAULT_MODEL = 'gpt-oss:20b';
const MAX_MENTION_FILES = 50_000;

export interface TuiOptions extends GlobalOptions {
  sandbox?: SandboxMode;
  askForApproval?: ApprovalPolicy;
  cd?: string;
  oss?: boolean;
  fullAuto?: boolean;
  addDir?: string[];
}

export interface ResumeTarget {
  id?: string;
  last?: boolean;
}

export async function runTui(
  prompt: string | undefined,
  opts: TuiOptions,
  resume?: ResumeTarget,
): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UserError(
      'conduit: the interactive terminal needs a terminal on stdin and stdout. For scripts, pipes and CI use\n' +
        '  conduit exec "PROMPT"    (or: echo PROMPT | conduit exec)',
    );
  }
  const config = await loadTuiConfig(opts);
  resolveApiKey(config.modelProvider);
  const resumePath = resolveResume(config, resume);

  // The session starts its MCP servers; a server that fails becomes a warning in the transcript.
  const controller = new TuiController(
    (path) =>
      createSession(config, {
        resumePath: path,
        interactiveApprovals: true,
        originator: 'conduit_tui',
        source: 'cli',
        cliVersion: VERSION,
      }),
    VERSION,
  );
  await controller.start(resumePath);
  if (resume && !resumePath)
    controller.transcript.add({ kind: 'warning', text: 'no earlier session found; this is a new one' });

  const theme = createTheme(colourLevel(process.env, process.stdout));
  const ctx: CommandContext = {
    controller,
    config,
    describeMcp: () => describeMcp(controller.session?.mcpServers() ?? []),
  };
  const restore = await enterInteractive(process.stdin, process.stdout);
  // A resumed transcript goes straight to the scrollback, as <Static> would print it: Ink lays out every
  // character of static output on a grid, which for hundreds of messages costs a second of start-up.
  const printed = controller.transcript.cells;
  process.stdout.write(
    printed.map((cell) => `${renderCell(cell, process.stdout.columns || 80, theme).join('\n')}\n`).join(''),
  );
  controller.printedBeforeMount = printed.length;
  const onSignal = () => void controller.quit();
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('SIGINT', onSignal);

  const history = new PromptHistory(historyPath(config.conduitHome));
  const files = { current: undefined as ReturnType<typeof fileIndex> | undefined };
  const onSubmit = (text: string) => {
    if (text.startsWith('/')) runSlashCommand(text.trim(), ctx);
    else if (text.startsWith('!') && text.trim().length > 1) runUserCommand(text.slice(1).trim(), ctx);
    else controller.sendPrompt(text);
  };
  const app = () =>
    createElement(App, {
      controller,
      theme,
      highlight: currentHighlighter(),
      commands: SLASH_COMMANDS,
      files: files.current,
      history,
      onSubmit,
      onShowDiff: (callId: string) => {
        const approval = controller.transcript.approvals.find((a) => a.callId === callId);
        if (approval?.kind === 'patch') {
          controller.transcript.add({
            kind: 'changes',
            title: 'Proposed changes',
            changes: approval.changes,
          });
          controller.changed();
        }
      },
    });
  const ink = render(app(), {
    stdout: process.stdout,
    stdin: process.stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    // Ink 6.8's incremental mode redraws one row too low once a frame ends in a newline (every frame of an
    // inline UI), stacking copies of the status line; the standard mode erases and rewrites the live region,
    // which stays a few rows tall.
    incrementalRendering: false,
    maxFps: 30,
  });
  // Neither is needed for the first frame: both arrive a moment later and re-render.
  void loadHighlighter()
    .then(() => controller.changed())
    .catch(() => {});
  void listTrackedFiles(config.cwd).then((list) => {
    files.current = fileIndex(list);
    ink.rerender(app());
  });
  if (prompt?.trim()) onSubmit(prompt);

  await controller.exited;
  ink.unmount();
  restore();
  const id = controller.transcript.info?.sessionId;
  if (id && controller.transcript.info?.rolloutPath)
    process.stdout.write(`\nTo continue this session: conduit resume ${id}\n`);
  process.exit(0);
}

async function loadTuiConfig(opts: TuiOptions): Promise<Config> {
  const loaded = await loadConfig({
    cliOverrides: opts.config,
    profile: opts.profile,
    cwd: opts.cd,
    overrides: {
      model: opts.model ?? (opts.oss ? OSS_DEFAULT_MODEL : undefined),
      modelProvider: opts.oss ? 'oss' : undefined,
      sandboxMode: opts.fullAuto ? 'workspace-write' : opts.sandbox,
      approvalPolicy: opts.fullAuto ? 'on-request' : opts.askForApproval,
      addDirs: opts.addDir ?? [],
    },
  });
  for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
  return loaded.config;
}

function resolveResume(config: Config, target: ResumeTarget | undefined): string | undefined {
  if (!target) return undefined;
  const id = target.id?.trim();
  if (target.last || !id) return findLatestRollout(config.conduitHome);
  const matches = findRolloutsByIdPrefix(config.conduitHome, id);
  if (matches.length === 1) return matches[0].path;
  if (matches.length === 0)
    throw new UserError(
      `conduit resume ${id}: no saved session has this id (sessions are under ${config.conduitHome}/sessions)`,
    );
  const shown = matches.slice(0, 5).map((m) => m.id);
  throw new UserError(
    `conduit resume ${id}: the prefix matches ${matches.length} sessions (${shown.join(', ')}${matches.length > shown.length ? ', …' : ''}); give more of the id`,
  );
}

function describeMcp(servers: McpServerStatus[]): string[] {
  if (servers.length === 0) return ['No MCP servers are configured ([mcp_servers] in config.toml).'];
  const lines: string[] = [];
  for (const server of servers) {
    const count = `${server.tools.length} tool${server.tools.length === 1 ? '' : 's'}`;
    lines.push(`${server.name}: ${server.state === 'running' ? `running, ${count}` : server.state}`);
    for (const tool of server.tools)
      lines.push(`  ${tool.name}${tool.description ? ` — ${tool.description}` : ''}`);
  }
  return lines;
}

/** Tracked files for @path completion (none outside a git repository). */
function listTrackedFiles(cwd: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', ['ls-files', '-z'], { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      if (err) return resolve([]);
      resolve(stdout.split('\0').filter(Boolean).slice(0, MAX_MENTION_FILES));
    });
  });
}
