// Unified diffs of file contents, via the `diff` package.

import {
  createTwoFilesPatch,
  formatPatch,
  OMIT_HEADERS,
  type StructuredPatchHunk,
  structuredPatch,
} from 'diff';
import type { UpdatedFile } from './update.js';

const CONTEXT = 3;

/**
 * Only the `@@` hunks of an update (the FileChange record already names the file). The diff is computed
 * around each replaced region rather than over the whole file: Myers' algorithm is O(N·D), and a patch
 * whose context lines differ in whitespace or punctuation from the file rewrites hundreds of scattered
 * lines of a large file, which made a whole-file diff the slowest step of a patch by far.
 */
export function updateUnifiedDiff(original: string, updated: UpdatedFile): string {
  if (original !== '' && !original.endsWith('\n')) {
    // The update adds the missing final newline; only a whole-file diff shows that.
    return createTwoFilesPatch('', '', original, updated.content, undefined, undefined, {
      headerOptions: OMIT_HEADERS,
    });
  }
  const lines = updated.originalLines;
  const hunks: StructuredPatchHunk[] = [];
  let shift = 0; // new-file line offset from the replacements before the current region
  for (const group of groupsOf(updated.replacements)) {
    const regionStart = Math.max(0, group[0].start - CONTEXT);
    const last = group[group.length - 1];
    const regionEnd = Math.min(lines.length, last.start + last.oldLength + CONTEXT);
    const oldRegion = lines.slice(regionStart, regionEnd);
    const newRegion: string[] = [];
    let at = regionStart;
    for (const r of group) {
      newRegion.push(...lines.slice(at, r.start), ...r.newLines);
      at = r.start + r.oldLength;
    }
    newRegion.push(...lines.slice(at, regionEnd));
    const region = structuredPatch('', '', textOf(oldRegion), textOf(newRegion), undefined, undefined, {
      context: CONTEXT,
    });
    for (const hunk of region.hunks) {
      hunks.push({
        ...hunk,
        oldStart: hunk.oldStart + regionStart,
        newStart: hunk.newStart + regionStart + shift,
      });
    }
    shift += newRegion.length - oldRegion.length;
  }
  return formatPatch(
    { oldFileName: undefined, newFileName: undefined, oldHeader: undefined, newHeader: undefined, hunks },
    OMIT_HEADERS,
  );
}

/** Replacements close enough for their context lines to touch belong in one region. */
function groupsOf(replacements: UpdatedFile['replacements']): UpdatedFile['replacements'][] {
  const groups: UpdatedFile['replacements'][] = [];
  for (const r of replacements) {
    const group = groups[groups.length - 1];
    const prev = group?.[group.length - 1];
    if (prev && r.start - (prev.start + prev.oldLength) <= 2 * CONTEXT) group.push(r);
    else groups.push([r]);
  }
  return groups;
}

function textOf(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** A git-style diff of one file; `null` on either side means the file is absent there. */
export function gitStyleDiff(displayPath: string, before: string | null, after: string | null): string {
  const oldName = before === null ? '/dev/null' : `a/${displayPath}`;
  const newName = after === null ? '/dev/null' : `b/${displayPath}`;
  const body = createTwoFilesPatch(oldName, newName, before ?? '', after ?? '', undefined, undefined, {
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  });
  return `diff --git a/${displayPath} b/${displayPath}\n${body}`;
}
