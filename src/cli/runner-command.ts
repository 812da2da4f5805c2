// The `conduit runner` sub-commands' flags; the work is in runner.ts, imported only when one runs.

import type { Command } from 'commander';

const backendFlags = (cmd: Command) =>
  cmd
    .option('--data-dir <dir>', 'job directories (embedded; default $CONDUIT_HOME/runner)')
    .option(
      '--blob-dir <dir>',
      'content-addressed blob store shared by server and workers (default <data-dir>/blobs)',
    )
    .option('--concurrency <n>', 'jobs run at once (default: cores - 1 embedded, 1 per worker)')
    .option('--tenant <name>', 'namespace for job ids (default "default")')
    .option('--redis-url <url>', 'Redis for the bullmq backend, e.g. redis://127.0.0.1:6379')
    .option('--queue <name>', 'BullMQ queue name (default conduit-runner)')
    .option('--key-file <path>', 'file holding the job-signing key (or set CONDUIT_RUNNER_KEY)');

export function registerRunnerCommand(program: Command): void {
  const runner = program
    .command('runner')
    .description('run jobs for agents: an MCP server of job tools, and its workers');
  backendFlags(
    runner
      .command('serve')
      .description('serve the job tools (submit_job, get_job, …) over stdio, or streamable HTTP with --http')
      .option(
        '--backend <name>',
        'embedded (default: jobs run in this process) or bullmq (jobs go to workers via Redis)',
      )
      .option('--http <host:port>', 'listen for streamable HTTP on /mcp instead of stdio')
      .option(
        '--bearer-token-env-var <name>',
        'require `Authorization: Bearer $NAME` (needed beyond loopback)',
      ),
  ).action(async (_opts, cmd: Command) => {
    const { runRunnerServe } = await import('./runner.js');
    await runRunnerServe(cmd.optsWithGlobals());
  });
  backendFlags(
    runner
      .command('worker')
      .description(
        'process bullmq-backend jobs from Redis (run any number, on any machine sharing the blob store)',
      )
      .option('--work-dir <dir>', 'scratch space for running jobs (default <data-dir>/work)')
      .option(
        '--lock-duration-ms <ms>',
        'BullMQ job lock; a crashed worker is noticed after about this long (default 30000)',
      )
      .option('--stalled-interval-ms <ms>', 'how often stalled jobs are looked for (default 30000)'),
  ).action(async (_opts, cmd: Command) => {
    const { runRunnerWorker } = await import('./runner.js');
    await runRunnerWorker(cmd.optsWithGlobals());
  });
}
