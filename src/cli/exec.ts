// `conduit exec`: one non-interactive turn (optionally continuing a saved session), printed as readable text
// or as the JSONL stream of `codex exec --json` that @openai/codex-sdk reads. Exit codes (exit-codes.ts): 0
// the turn completed, 1 it failed (an error event), 2 usage or configuration error (through reportFatal),
// 128 + n when signal n interrupted it.

import { writeFileSync } from 'node:fs';
import {
  createSession,
  type Event,
  prespawnMcpServers,
  resolveApiKey,
  runSubmission,
  UserError,
} from '../index.js';
import { type ExecOptions, loadExecConfig } from './exec-config.js';
import { COLOURS, PLAIN } from './exec-human.js';
import { HumanPrinter } from './exec-human-printer.js';
import { imageItems, insideGitRepo, readOutputSchema, readPrompt } from './exec-input.js';
import { JsonlEventMapper } from './exec-jsonl.js';
import { checkOutputFile, type ResumeTarget, resolveResume } from './exec-preflight.js';
import { EXIT_FAILED, EXIT_OK, exitCodeForSignal, INTERRUPT_SIGNALS } from './exit-codes.js';
import { VERSION } from './version.js';

export async function runExec(
  promptArg: string | undefined,
  opts: ExecOptions,
  resume?: ResumeTarget,
): Promise<void> {
  const json = Boolean(opts.json || opts.experimentalJson);
  // Until the session runs, a signal has nothing to record: stop at once with the signal's exit code.
  const early = (signal: NodeJS.Signals) => process.exit(exitCodeForSignal(signal));
  for (const signal of INTERRUPT_SIGNALS) process.on(signal, early);
  const { config, warnings } = await loadExecConfig(opts);
  const stderr = (text: string) => process.stderr.write(`${text}\n`);
  for (const warning of warnings) stderr(`warning: ${warning}`);
  if (!opts.skipGitRepoCheck && !insideGitRepo(config.cwd)) {
    throw new UserError(
      `${config.cwd} is not inside a git repository; run conduit exec in one, or pass --skip-git-repo-check`,
    );
  }
  // Everything that can be checked is checked before the first model request (and before MCP start-up).
  resolveApiKey(config.modelProvider);
  const outputSchema = opts.outputSchema ? readOutputSchema(opts.outputSchema) : undefined;
  const images = imageItems(opts.image);
  if (opts.outputLastMessage) checkOutputFile(opts.outputLastMessage);
  const resumePath = resolveResume(config, resume, (m) => stderr(`warning: ${m}`));
  // The checks passed: start the MCP servers' processes now, so they boot while the prompt is read and
  // the session code loads (createSession adopts them).
  const prespawnedMcpServers = prespawnMcpServers(config);
  const prompt = await readPrompt(promptArg);

  // The session starts the MCP servers: one that fails costs its tools, not the run (a warning naming it).
  // Servers whose tool list is remembered are not waited for (docs/mcp.md), unless --no-tool-cache.
  const session = await createSession(config, {
    prespawnedMcpServers,
    toolCache: opts.toolCache !== false,
    resumePath,
    interactiveApprovals: false,
    originator: process.env.CODEX_INTERNAL_ORIGINATOR_OVERRIDE?.trim() || 'conduit_exec',
    source: 'exec',
    cliVersion: VERSION,
    // The turn's last event is written and the rollout flushed before shutdown: end the MCP servers at
    // once, as Codex does, rather than giving each up to 500 ms to exit.
    killServersOnShutdown: true,
  });

  const colour = opts.color === 'always' || (opts.color !== 'never' && process.stderr.isTTY === true);
  const mapper = new JsonlEventMapper();
  const printer = json
    ? undefined
    : new HumanPrinter(
        { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
        colour ? COLOURS : PLAIN,
        VERSION,
      );
  const show = (event: Event) => {
    if (json) {
      for (const line of mapper.map(event)) process.stdout.write(`${JSON.stringify(line)}\n`);
    } else {
      printer?.handle(event);
    }
  };

  // A reader that went away (`conduit exec --json … | head -1`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT_OK);
    throw err;
  });

  // After a hang-up the terminal is gone: a failed log write must not cut the turn's clean end short.
  process.stderr.on('error', () => {});

  // SIGTERM and SIGHUP (a CI timeout, a closed terminal) end the turn like Ctrl-C: the running command is
  // killed and every open call gets an "aborted" output in the rollout, so the session resumes cleanly.
  let interruptedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy) process.exit(exitCodeForSignal(interruptedBy));
    interruptedBy = signal;
    session.submit({ type: 'interrupt' });
  };
  for (const signal of INTERRUPT_SIGNALS) {
    process.off(signal, early);
    process.on(signal, onSignal);
  }

  const turn = runSubmission(session, {
    type: 'user_turn',
    items: [{ type: 'text', text: prompt }, ...images],
    cwd: config.cwd,
    approval_policy: config.approvalPolicy,
    sandbox_policy: config.sandboxPolicy,
    model: config.model,
    effort: config.modelReasoningEffort ?? null,
    summary: config.modelReasoningSummary,
    final_output_json_schema: outputSchema,
  });
  for await (const event of turn) show(event);
  // Shutting down stops the MCP servers and PTY sessions; its warnings are shown like the turn's.
  for await (const event of runSubmission(session, { type: 'shutdown' })) show(event);
  printer?.close();
  for (const signal of INTERRUPT_SIGNALS) process.off(signal, onSignal);
  const lastAgentMessage = turn.outcome?.lastAgentMessage;

  if (opts.outputLastMessage) {
    if (lastAgentMessage === undefined)
      stderr(`warning: no last agent message; wrote an empty ${opts.outputLastMessage}`);
    writeFileSync(opts.outputLastMessage, lastAgentMessage ?? '');
  }
  // In text mode the answer goes to stdout too when it is redirected, so `conduit exec … > answer.txt` works.
  if (!json && lastAgentMessage !== undefined && !process.stdout.isTTY)
    process.stdout.write(`${lastAgentMessage}\n`);
  if (interruptedBy) process.exit(exitCodeForSignal(interruptedBy));
  process.exit(turn.outcome?.status === 'completed' ? EXIT_OK : EXIT_FAILED);
}
