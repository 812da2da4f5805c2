// The `conduit` entry point. Each sub-command's module is imported only when that command runs, so start-up
// pays for commander and nothing else.

import { Command } from 'commander';
import { registerExecCommand } from './exec-command.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { collect } from './options.js';
import { registerRunnerCommand } from './runner-command.js';
import { registerTuiCommands } from './tui-command.js';
import { VERSION } from './version.js';

const program = new Command()
  .name('conduit')
  .description('A coding agent core: any OpenAI-compatible model, sandboxed tools, MCP.')
  .version(VERSION, '-V, --version')
  .option(
    '-c, --config <key=value>',
    'override a config.toml value (TOML value, dotted key); repeatable',
    collect,
    [],
  )
  .option('-p, --profile <name>', 'use a [profiles.<name>] table from config.toml')
  .option('-m, --model <model>', 'model to use')
  // Every usage error (unknown flag, bad choice, missing argument) exits 2 like a bad config, not
  // commander's 1, which means "the turn failed"; sub-commands inherit this.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT_OK : EXIT_USAGE))
  .showHelpAfterError('(add --help for usage)');

const configCmd = program.command('config').description('inspect the effective configuration');
configCmd
  .command('show')
  .description('print the effective configuration and where each value came from')
  .option('--json', 'print JSON instead of text')
  .action(async (opts, cmd: Command) => {
    const { runConfigShow } = await import('./config-show.js');
    await runConfigShow({ ...cmd.optsWithGlobals(), json: Boolean(opts.json) });
  });

program
  .command('sandbox')
  .description('run a command under a sandbox policy (for debugging policies); exits with its exit code')
  .option('--policy <mode>', 'read-only, workspace-write or danger-full-access', 'read-only')
  .option('--add-dir <dir>', 'extra writable root for workspace-write; repeatable', collect, [])
  .option('--network', 'allow network access (workspace-write)', false)
  .argument('<command...>', 'the command and its arguments, after `--`')
  .action(async (command: string[], opts) => {
    const { runSandboxCommand } = await import('./sandbox.js');
    await runSandboxCommand(command, {
      policy: opts.policy,
      addDir: opts.addDir,
      network: Boolean(opts.network),
    });
  });

program
  .command('mcp-server')
  .description('serve the agent as MCP tools (codex, codex-reply) over stdio, or streamable HTTP with --http')
  .option('--http <host:port>', 'listen for streamable HTTP on /mcp instead of stdio')
  .option('--bearer-token-env-var <name>', 'require `Authorization: Bearer $NAME` (needed beyond loopback)')
  .option(
    '--approval-timeout <seconds>',
    'deny an approval the client has not answered in time (default 120)',
  )
  .option(
    '--session-ttl <seconds>',
    'HTTP: close a session idle this long with no open request (default 300)',
  )
  .action(async (_opts, cmd: Command) => {
    const { runMcpServer } = await import('./mcp-server/index.js');
    await runMcpServer(cmd.optsWithGlobals());
  });

program
  .command('acp')
  .description('serve the agent to an editor over the Agent Client Protocol (stdio): Zed, JetBrains, Neovim…')
  .action(async (_opts, cmd: Command) => {
    const { runAcp } = await import('./acp/index.js');
    await runAcp(cmd.optsWithGlobals());
  });

registerExecCommand(program);
registerTuiCommands(program);
registerRunnerCommand(program);

program
  .command('doctor')
  .description('probe the configured model provider and print what it supports')
  .option('--json', 'print JSON instead of a table')
  .option('--timeout <seconds>', 'limit for each probe request (default 60)')
  .action(async (opts, cmd: Command) => {
    const { runDoctor } = await import('./doctor.js');
    await runDoctor({ ...cmd.optsWithGlobals(), json: Boolean(opts.json), timeout: opts.timeout });
  });

const mcpCmd = program.command('mcp').description('inspect the configured MCP servers and sign in to them');
mcpCmd
  .command('list')
  .description('list the configured MCP servers')
  .option('--json', 'print JSON instead of text')
  .action(async (opts, cmd: Command) => {
    const { runMcpList } = await import('./mcp.js');
    await runMcpList({ ...cmd.optsWithGlobals(), json: Boolean(opts.json) });
  });
mcpCmd
  .command('tools')
  .description('start the MCP servers (or only NAME) and list the tools the model gets, with their schemas')
  .argument('[name]', 'one server; started even if disabled')
  .option('--json', 'print JSON instead of text')
  .action(async (name: string | undefined, opts, cmd: Command) => {
    const { runMcpTools } = await import('./mcp.js');
    await runMcpTools(name, { ...cmd.optsWithGlobals(), json: Boolean(opts.json) });
  });

mcpCmd
  .command('login')
  .description('sign in to the OAuth-protected MCP server NAME in the browser (the URL is also printed)')
  .argument('<name>', 'the server, as named in [mcp_servers.NAME]')
  .action(async (name: string, _opts, cmd: Command) => {
    const { runMcpLogin } = await import('./mcp.js');
    await runMcpLogin(name, cmd.optsWithGlobals());
  });
mcpCmd
  .command('logout')
  .description('forget the stored sign-in of MCP server NAME')
  .argument('<name>', 'the server, as named in [mcp_servers.NAME]')
  .action(async (name: string, _opts, cmd: Command) => {
    const { runMcpLogout } = await import('./mcp.js');
    await runMcpLogout(name, cmd.optsWithGlobals());
  });

// Loaded only on failure: it reaches the core's error classes, which `conduit --version` need not load.
program.parseAsync(process.argv).catch(async (err: unknown) => {
  const { reportFatal } = await import('./fatal.js');
  reportFatal(err);
});
