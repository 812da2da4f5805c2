// The `conduit` entry point. Each sub-command's module is imported only when that command runs, so start-up
// pays for commander and nothing else.

import { Command } from 'commander';
import { reportFatal } from './fatal.js';
import { collect } from './options.js';
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
  .showHelpAfterError();

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
  .command('doctor')
  .description('probe the configured model provider and print what it supports')
  .option('--json', 'print JSON instead of a table')
  .option('--timeout <seconds>', 'limit for each probe request (default 60)')
  .action(async (opts, cmd: Command) => {
    const { runDoctor } = await import('./doctor.js');
    await runDoctor({ ...cmd.optsWithGlobals(), json: Boolean(opts.json), timeout: opts.timeout });
  });

program.parseAsync(process.argv).catch(reportFatal);
