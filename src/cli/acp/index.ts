// `conduit acp`: an Agent Client Protocol agent on stdio for editors (Zed, JetBrains, Neovim…). stdout
// carries protocol messages only, so anything else that would print there goes to stderr. The config is
// loaded once at start so a broken config.toml stops the agent with its message; each session then loads
// the config for its own directory. The end of stdin (the editor went away) closes every session.

import { Readable, Writable } from 'node:stream';
import { ndJsonStream } from '@agentclientprotocol/sdk';
import { loadConfig } from '../../index.js';
import type { GlobalOptions } from '../options.js';
import { AcpAgent } from './agent.js';

function keepStdoutForProtocol(): void {
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
}

export async function runAcp(globals: GlobalOptions): Promise<void> {
  keepStdoutForProtocol();
  const env = process.env;
  const { config, warnings } = await loadConfig({
    env,
    cliOverrides: globals.config,
    profile: globals.profile,
    overrides: { model: globals.model },
  });
  for (const warning of warnings) process.stderr.write(`conduit acp: ${warning}\n`);

  const agent = new AcpAgent({ globals, env, config });
  const stream = ndJsonStream(
    Writable.toWeb(process.stdout) as WritableStream<Uint8Array>,
    Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
  );
  const connection = agent.app().connect(stream);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    connection.close();
    await agent.closeAll();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await connection.closed;
  await stop();
}
