// A job's directory in the embedded backend: `job.json` (spec, written once), `state.json` (rewritten
// atomically: temporary file + rename, so a crash never leaves half a record), logs, and a `cancel` file
// any process sharing the data directory may drop to cancel a job another server owns.

import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogSink, LogStream } from '../log-cap.js';
import type { JobRecord, JobSpec } from '../spec.js';

export interface StoredJob {
  job_id: string;
  tenant: string;
  spec: JobSpec;
  spec_hash: string;
  created_at: string;
}

export interface StoredState extends JobRecord {
  /** PID of the server that queued or runs the job; a dead owner means the job was lost. */
  owner_pid: number;
}

export class JobDir {
  constructor(readonly path: string) {}

  get runRoot(): string {
    return join(this.path, 'run');
  }

  get cancelPath(): string {
    return join(this.path, 'cancel');
  }

  logPath(stream: LogStream): string {
    return join(this.path, `${stream}.log`);
  }

  async readJob(): Promise<StoredJob | undefined> {
    return readJson<StoredJob>(join(this.path, 'job.json'));
  }

  async readState(): Promise<StoredState | undefined> {
    return readJson<StoredState>(join(this.path, 'state.json'));
  }

  async writeJob(job: StoredJob): Promise<void> {
    await writeAtomic(join(this.path, 'job.json'), JSON.stringify(job, null, 2));
  }

  async writeState(state: StoredState): Promise<void> {
    await writeAtomic(join(this.path, 'state.json'), JSON.stringify(state, null, 2));
  }

  async readLog(stream: LogStream, offset: number, length: number): Promise<{ data: Buffer; total: number }> {
    const file = await open(this.logPath(stream), 'r').catch(() => undefined);
    if (!file) return { data: Buffer.alloc(0), total: 0 };
    try {
      const total = (await file.stat()).size;
      const start = Math.min(offset, total);
      const count = Math.max(0, Math.min(length, total - start));
      const data = Buffer.alloc(count);
      if (count > 0) await file.read(data, 0, count, start);
      return { data, total };
    } finally {
      await file.close();
    }
  }

  /** Log files opened for appending; writes are synchronous so the three streams stay in order. */
  openLogSink(): LogSink {
    const fds = {
      stdout: openSync(this.logPath('stdout'), 'a'),
      stderr: openSync(this.logPath('stderr'), 'a'),
      combined: openSync(this.logPath('combined'), 'a'),
    };
    return {
      write: (stream, data) => {
        writeSync(fds[stream], data);
      },
      close: async () => {
        for (const fd of Object.values(fds)) closeSync(fd);
      },
    };
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

export async function ensureDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}
