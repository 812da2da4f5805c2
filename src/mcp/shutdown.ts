// Server processes must not outlive the session, whether it ends normally, on Ctrl-C / SIGTERM, or via
// process.exit(). Front ends call this once; the returned function removes every handler it installed.

import type { McpConnectionManager } from './manager.js';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export function stopServersOnExit(manager: McpConnectionManager): () => void {
  const onExit = () => manager.killNow();
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    void manager.close().finally(() => {
      // If someone else handles this signal they decide what happens next; otherwise die of it as we
      // would have without our handler (exit status 128 + n).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  const remove = () => {
    process.off('exit', onExit);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  process.on('exit', onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return remove;
}
