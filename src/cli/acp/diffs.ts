// Edits as ACP diffs: the whole old and new text of each file (the protocol's shape, which editors render
// as a reviewable diff). Before a patch is written (the approval prompt) the new text is rebuilt from the
// current file and the patch's hunks; after, the written files' before/after contents are used as they are.

import type { ToolCallContent } from '@agentclientprotocol/sdk';
import { applyPatch } from 'diff';
import type { FileChange, PlannedFile } from '../../index.js';

/** Larger files are described, not sent: one ACP message must stay well under the SDK's 32 MiB frame cap. */
export const MAX_DIFF_CHARS = 2 * 1024 * 1024;

export type FileReader = (path: string) => Promise<string | null>;

function textContent(text: string): ToolCallContent {
  return { type: 'content', content: { type: 'text', text } };
}

function diffOrNote(path: string, oldText: string | null, newText: string): ToolCallContent {
  if ((oldText?.length ?? 0) + newText.length > MAX_DIFF_CHARS)
    return textContent(`${path}: changed (too large to show as a diff)`);
  return { type: 'diff', path, oldText, newText };
}

/** Diffs for a patch that is about to be applied (its hunks against the files as they are now). */
export async function diffsForChanges(
  changes: Record<string, FileChange>,
  read: FileReader,
): Promise<ToolCallContent[]> {
  const out: ToolCallContent[] = [];
  for (const [path, change] of Object.entries(changes)) {
    if (change.type === 'add') out.push(diffOrNote(path, null, change.content));
    else if (change.type === 'delete') out.push(diffOrNote(path, change.content, ''));
    else {
      const before = await read(path).catch(() => null);
      const after = before === null ? false : applyPatch(before, change.unified_diff);
      if (before === null || after === false) {
        out.push(textContent(`${path}\n\`\`\`diff\n${change.unified_diff}\`\`\``));
      } else if (change.move_path) {
        out.push(diffOrNote(path, before, ''), diffOrNote(change.move_path, null, after));
      } else {
        out.push(diffOrNote(path, before, after));
      }
    }
  }
  return out;
}

/** Diffs for files a patch wrote; unchanged files are left out. */
export function diffsForFiles(files: readonly PlannedFile[]): ToolCallContent[] {
  return files
    .filter((file) => file.before !== file.after)
    .map((file) => diffOrNote(file.realPath, file.before, file.after ?? ''));
}

export function changeLocations(changes: Record<string, FileChange>): { path: string }[] {
  return Object.entries(changes).flatMap(([path, change]) =>
    change.type === 'update' && change.move_path ? [{ path }, { path: change.move_path }] : [{ path }],
  );
}
