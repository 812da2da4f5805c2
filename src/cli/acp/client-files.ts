// Patches read and write files through the editor when it offers `fs/*`: reads see unsaved buffers, and
// writes go through `fs/write_text_file` so the editor's review (Zed's Keep/Reject) sees each edit. Never
// both the client and the disk for one write (that applied changes twice in opencode#38196). Deletes and
// the old side of a move have no fs method and happen on disk. Without the capability: the disk, all or
// nothing, as everywhere else.

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AgentContext, ClientCapabilities } from '@agentclientprotocol/sdk';
import { commitPlan, type PatchFileAccess, type PlannedFile } from '../../index.js';

export interface ClientFilesOptions {
  client: AgentContext;
  /** The ACP session id (known once the core session exists). */
  sessionId: () => string;
  capabilities: ClientCapabilities | undefined;
  /** Called with what each patch wrote (before/after per file), for its diff in the tool call. */
  onWritten(callId: string, files: PlannedFile[]): void;
}

export function clientFileAccess(options: ClientFilesOptions): PatchFileAccess {
  const { client } = options;
  const fs = options.capabilities?.fs;
  const access: PatchFileAccess = {
    async write(files, callId) {
      const changed = files.filter((file) => file.before !== file.after);
      if (fs?.writeTextFile) {
        for (const file of changed) {
          if (file.after === null) continue;
          try {
            await client.request('fs/write_text_file', {
              sessionId: options.sessionId(),
              path: file.realPath,
              content: file.after,
            });
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            throw new Error(`the editor could not write ${file.realPath}: ${message}`);
          }
        }
        for (const file of changed) if (file.after === null) await rm(file.realPath, { force: true });
      } else {
        await commitPlan(changed);
      }
      options.onWritten(callId, changed);
    },
  };
  if (fs?.readTextFile) {
    // A file the editor has never seen on disk is absent for the patch (it may not exist at all).
    access.read = async (path) => {
      if (!existsSync(path)) return null;
      const { content } = await client.request('fs/read_text_file', {
        sessionId: options.sessionId(),
        path,
      });
      return content;
    };
  }
  return access;
}
