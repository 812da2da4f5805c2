// The runner's public face for the CLI: open the configured backend and the MCP server over it.

import type { JobBackend } from './backend.js';
import { EmbeddedBackend } from './backends/embedded.js';
import { type RunnerSettings, requireBullmqSettings } from './options.js';
import { FsBlobStore } from './store/blobs.js';
import type { WorkerTuning } from './worker.js';

export {
  type RunnerFlags,
  type RunnerSettings,
  requireBullmqSettings,
  resolveRunnerSettings,
} from './options.js';
export { createRunnerServer } from './server.js';

export async function openBackend(
  settings: RunnerSettings,
): Promise<{ backend: JobBackend; blobs: FsBlobStore }> {
  const blobs = new FsBlobStore(settings.blobDir);
  if (settings.backend === 'bullmq') {
    const { BullmqBackend } = await import('./backends/bullmq.js');
    requireBullmqSettings(settings, 'the bullmq backend');
    const backend = new BullmqBackend({ ...settings, blobs });
    await backend.start();
    return { backend, blobs };
  }
  const backend = new EmbeddedBackend({
    dataDir: settings.dataDir,
    blobs,
    tenant: settings.tenant,
    concurrency: settings.concurrency,
  });
  await backend.start();
  return { backend, blobs };
}

/** Runs a BullMQ worker in this process until it is signalled (`conduit runner worker`). */
export async function runWorker(settings: RunnerSettings, tuning: WorkerTuning = {}): Promise<void> {
  const worker = await import('./worker.js');
  await worker.runWorker(settings, tuning);
}
