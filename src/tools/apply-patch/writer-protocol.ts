// The messages between the tool (outside) and the sandboxed writer (inside): the plan's files on stdin, one
// reply line on stdout. Both sides check shapes, since either end may be a different build.

import type { CommittedFile } from './commit.js';
import type { PlannedFile } from './plan.js';

export type WriterReply = { ok: true; files: CommittedFile[] } | { ok: false; error: string };

export function writerRequest(files: Iterable<PlannedFile>): string {
  return JSON.stringify({ files: [...files] });
}

const isContent = (v: unknown) => v === null || typeof v === 'string';

export function parseWriterRequest(text: string): PlannedFile[] {
  const files = (JSON.parse(text) as { files?: unknown }).files;
  if (!Array.isArray(files)) throw new Error('patch writer: the request has no "files" array');
  for (const file of files) {
    const f = file as Partial<PlannedFile>;
    if (
      typeof f.realPath !== 'string' ||
      !f.realPath.startsWith('/') ||
      !isContent(f.before) ||
      !isContent(f.after)
    )
      throw new Error(
        'patch writer: each file needs an absolute "realPath" and "before"/"after" strings or null',
      );
  }
  return files as PlannedFile[];
}

export function parseWriterReply(stdout: string): WriterReply | undefined {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    const reply = JSON.parse(line) as WriterReply;
    if (reply.ok === true && Array.isArray(reply.files)) return reply;
    if (reply.ok === false && typeof reply.error === 'string') return reply;
  } catch {
    // Not a reply: the caller reports the writer's output instead.
  }
  return undefined;
}
