// Runner settings: command-line flags over the `[runner]` table of config.toml over defaults. Relative paths
// in config.toml are resolved against CONDUIT_HOME (where the file lives); flags against the current directory.

import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { type RunnerConfig, UserError } from '../index.js';

export interface RunnerFlags {
  backend?: string;
  dataDir?: string;
  blobDir?: string;
  workDir?: string;
  concurrency?: string;
  tenant?: string;
  redisUrl?: string;
  queue?: string;
  keyFile?: string;
}

export interface RunnerSettings {
  backend: 'embedded' | 'bullmq';
  dataDir: string;
  blobDir: string;
  workDir: string;
  concurrency?: number;
  tenant: string;
  redisUrl?: string;
  queue: string;
  /** HMAC key for job specs (BullMQ); from CONDUIT_RUNNER_KEY or key_file. */
  key?: Buffer;
}

export const DEFAULT_QUEUE = 'conduit-runner';
const MIN_KEY_BYTES = 16;

function parseConcurrency(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw new UserError(`--concurrency ${text}: expected a whole number from 1 to 1024`);
  return n;
}

function readKey(
  file: string | undefined,
  env: Record<string, string | undefined>,
  where: string,
): Buffer | undefined {
  const fromEnv = env.CONDUIT_RUNNER_KEY?.trim();
  let text = fromEnv;
  if (!text && file) {
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new UserError(
        `${where} ${file}: cannot read the runner key (${(err as NodeJS.ErrnoException).code})`,
      );
    }
  }
  if (text === undefined || text === '') return undefined;
  if (Buffer.byteLength(text) < MIN_KEY_BYTES)
    throw new UserError(
      `runner key (${fromEnv ? 'CONDUIT_RUNNER_KEY' : file}): at least ${MIN_KEY_BYTES} bytes needed`,
    );
  return Buffer.from(text);
}

export function resolveRunnerSettings(
  flags: RunnerFlags,
  file: RunnerConfig,
  conduitHome: string,
  env: Record<string, string | undefined>,
): RunnerSettings {
  const fromFile = (path: string | undefined) =>
    path === undefined ? undefined : isAbsolute(path) ? path : join(conduitHome, path);
  const fromFlag = (path: string | undefined) => (path === undefined ? undefined : resolve(path));
  const backend = flags.backend ?? file.backend ?? 'embedded';
  if (backend !== 'embedded' && backend !== 'bullmq')
    throw new UserError(`--backend ${backend}: expected embedded or bullmq`);
  const dataDir = fromFlag(flags.dataDir) ?? fromFile(file.data_dir) ?? join(conduitHome, 'runner');
  const keyFile = fromFlag(flags.keyFile) ?? fromFile(file.key_file);
  const settings: RunnerSettings = {
    backend,
    dataDir,
    blobDir: fromFlag(flags.blobDir) ?? fromFile(file.blob_dir) ?? join(dataDir, 'blobs'),
    workDir: fromFlag(flags.workDir) ?? fromFile(file.work_dir) ?? join(dataDir, 'work'),
    concurrency: parseConcurrency(flags.concurrency) ?? file.concurrency,
    tenant: flags.tenant ?? file.tenant ?? 'default',
    redisUrl: flags.redisUrl ?? file.redis_url,
    queue: flags.queue ?? file.queue ?? DEFAULT_QUEUE,
    key: readKey(keyFile, env, flags.keyFile ? '--key-file' : '[runner] key_file'),
  };
  if (settings.backend === 'bullmq') requireBullmqSettings(settings, 'the bullmq backend');
  return settings;
}

/** BullMQ needs a Redis URL and a signing key: without the key, write access to Redis would run code on workers. */
export function requireBullmqSettings(
  settings: RunnerSettings,
  who: string,
): asserts settings is RunnerSettings & { redisUrl: string; key: Buffer } {
  if (!settings.redisUrl)
    throw new UserError(`${who} needs a Redis URL: --redis-url redis://HOST:PORT or redis_url in [runner]`);
  if (!/^rediss?:\/\//.test(settings.redisUrl))
    throw new UserError(`--redis-url ${settings.redisUrl}: expected redis://HOST:PORT[/DB] or rediss://…`);
  if (!settings.key)
    throw new UserError(
      `${who} needs the job-signing key shared by server and workers: set CONDUIT_RUNNER_KEY or key_file in [runner] (--key-file)`,
    );
}
