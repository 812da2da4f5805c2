// Registers `conduit exec` and `conduit exec resume` with their flags (those of `codex exec`, which
// @openai/codex-sdk passes). The implementation is imported only when the command runs.

import { type Command, Option } from 'commander';
import { collect } from './options.js';

function execOptions(cmd: Command): Command {
  return cmd
    .option(
      '-i, --image <files>',
      'attach image file(s) to the prompt (comma-separated); repeatable',
      collect,
      [],
    )
    .addOption(
      new Option('-s, --sandbox <mode>', 'sandbox policy for commands').choices([
        'read-only',
        'workspace-write',
        'danger-full-access',
      ]),
    )
    .option('--full-auto', 'run commands in the workspace-write sandbox without asking')
    .option(
      '--dangerously-bypass-approvals-and-sandbox',
      'no sandbox and no approvals (only inside an external sandbox)',
    )
    .option('--yolo', 'same as --dangerously-bypass-approvals-and-sandbox')
    .option('-C, --cd <dir>', 'working directory of the agent')
    .option('--skip-git-repo-check', 'allow running outside a git repository')
    .option('--add-dir <dir>', 'another writable directory (workspace-write); repeatable', collect, [])
    .option('--output-schema <file>', 'JSON Schema the final answer must follow')
    .option('--json', 'print events as JSONL on stdout')
    .option('--experimental-json', 'same as --json')
    .option('-o, --output-last-message <file>', 'write the final message to this file')
    .option('--color <when>', 'colour the text output: always, never or auto', 'auto')
    .option('--oss', 'use the local open-source model provider (oss)')
    .option('--no-tool-cache', "wait for MCP servers' tool lists instead of using remembered ones");
}

export function registerExecCommand(program: Command): void {
  const exec = execOptions(
    program
      .command('exec')
      .description('run one turn non-interactively; the prompt comes from the argument or stdin')
      .argument('[prompt]', 'the prompt; absent or "-" reads stdin'),
  ).action(async (prompt: string | undefined, _opts, cmd: Command) => {
    const { runExec } = await import('./exec.js');
    await runExec(prompt, cmd.optsWithGlobals());
  });
  // The exec flags are parsed by `exec` itself wherever they appear, also after `resume <id>` (as the SDK
  // puts `--image` there), so `resume` declares only its own.
  const resume = exec
    .command('resume')
    .description('continue a saved session: by id, or the most recent with --last; takes the exec flags too')
    .argument('[id]', 'session id (the thread id of --json output)')
    .argument('[prompt]', 'the prompt; absent or "-" reads stdin')
    .option('--last', 'resume the most recent session')
    .action(async (id: string | undefined, prompt: string | undefined, opts, cmd: Command) => {
      const { runExec } = await import('./exec.js');
      // With --last the one positional is the prompt.
      const [sessionId, text] = opts.last ? [undefined, id] : [id, prompt];
      await runExec(text, cmd.optsWithGlobals(), { id: sessionId, last: Boolean(opts.last) });
    });
  // Declaring the exec flags on `resume` too would shadow the values `exec` parsed with resume's
  // defaults, so its help lists them instead.
  resume.addHelpText('after', () => {
    const help = exec.createHelp();
    const width = help.padWidth(exec, help);
    const lines = help
      .visibleOptions(exec)
      .map((option) => `  ${help.optionTerm(option).padEnd(width)}  ${help.optionDescription(option)}`);
    return `\nexec options, accepted after resume too:\n${lines.join('\n')}`;
  });
}
