// Registers the interactive terminal: `conduit [PROMPT]` (the default command) and `conduit resume`. The
// flags are exec's (-m -p -c are global); the implementation is imported only when it runs.

import { type Command, Option } from 'commander';
import { collect } from './options.js';

function tuiOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('-s, --sandbox <mode>', 'sandbox policy for commands').choices([
        'read-only',
        'workspace-write',
        'danger-full-access',
      ]),
    )
    .addOption(
      new Option('-a, --ask-for-approval <policy>', 'when to ask before running a command').choices([
        'untrusted',
        'on-failure',
        'on-request',
        'never',
      ]),
    )
    .option('--full-auto', 'workspace-write sandbox, asking only when the agent requests more')
    .option('-C, --cd <dir>', 'working directory of the agent')
    .option('--add-dir <dir>', 'another writable directory (workspace-write); repeatable', collect, [])
    .option('--oss', 'use the local open-source model provider (oss)');
}

/**
 * Loads the UI with React in production mode (development mode re-checks every render and costs start-up
 * time), without leaking NODE_ENV into the commands the agent runs.
 */
async function loadTui(): Promise<typeof import('./tui/index.js')> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV ??= 'production';
  try {
    return await import('./tui/index.js');
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
  }
}

export function registerTuiCommands(program: Command): void {
  tuiOptions(
    program
      .command('interactive', { isDefault: true })
      .description('(the default) chat with the agent in this terminal: `conduit [PROMPT]`')
      .argument('[prompt]', 'a first prompt to send'),
  ).action(async (prompt: string | undefined, _opts, cmd: Command) => {
    const { runTui } = await loadTui();
    await runTui(prompt, cmd.optsWithGlobals());
  });
  tuiOptions(
    program
      .command('resume')
      .description(
        'reopen a saved session in the interactive terminal: by id, or the most recent with --last',
      )
      .argument('[id]', 'session id (as printed on quit, or the thread id of exec --json)')
      .option('--last', 'the most recent session'),
  ).action(async (id: string | undefined, opts, cmd: Command) => {
    const { runTui } = await loadTui();
    await runTui(undefined, cmd.optsWithGlobals(), { id, last: Boolean(opts.last) || id === undefined });
  });
}
