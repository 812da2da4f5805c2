// Applies an Update File hunk's chunks to a file's text, in memory. Every chunk is located first (each
// search starting after the previous match), then the replacements are applied from the end so earlier
// indexes stay valid.

import { PatchApplyError } from './errors.js';
import { FileLines, seekSequence } from './seek-sequence.js';
import type { UpdateChunk } from './types.js';

/** `oldLength` lines of the original starting at `start` become `newLines`. */
export interface Replacement {
  start: number;
  oldLength: number;
  newLines: readonly string[];
}

export interface UpdatedFile {
  content: string;
  /** The original's lines (without the empty element after a final newline). */
  originalLines: readonly string[];
  /** In file order. */
  replacements: Replacement[];
}

/** The file's new text; `displayPath` names the file in error messages. */
export function applyChunks(
  original: string,
  chunks: readonly UpdateChunk[],
  displayPath: string,
): UpdatedFile {
  const originalLines = original.split('\n');
  if (originalLines[originalLines.length - 1] === '') originalLines.pop();
  // Stable sort: two insertions at one index keep their patch order when applied back to front.
  const replacements = locateReplacements(new FileLines(originalLines), chunks, displayPath).sort(
    (a, b) => a.start - b.start,
  );
  const lines = [...originalLines];
  for (let k = replacements.length - 1; k >= 0; k--) {
    lines.splice(replacements[k].start, replacements[k].oldLength, ...replacements[k].newLines);
  }
  if (lines[lines.length - 1] !== '') lines.push('');
  return { content: lines.join('\n'), originalLines, replacements };
}

function locateReplacements(
  file: FileLines,
  chunks: readonly UpdateChunk[],
  displayPath: string,
): Replacement[] {
  const replacements: Replacement[] = [];
  let cursor = 0;
  for (const chunk of chunks) {
    if (chunk.changeContext !== undefined) {
      const at = seekSequence(file, [chunk.changeContext], cursor, false);
      if (at === undefined) {
        throw new PatchApplyError(`Failed to find context '${chunk.changeContext}' in ${displayPath}`);
      }
      cursor = at + 1;
    }
    if (chunk.oldLines.length === 0) {
      // Pure insertion with nothing to anchor on: append at the end of the file.
      replacements.push({ start: file.length, oldLength: 0, newLines: chunk.newLines });
      continue;
    }
    let pattern = chunk.oldLines;
    let newLines = chunk.newLines;
    let at = seekSequence(file, pattern, cursor, chunk.isEndOfFile);
    if (at === undefined && pattern[pattern.length - 1] === '') {
      // A trailing empty context line is usually the blank line before `*** End Patch`, not file content.
      pattern = pattern.slice(0, -1);
      if (newLines[newLines.length - 1] === '') newLines = newLines.slice(0, -1);
      at = seekSequence(file, pattern, cursor, chunk.isEndOfFile);
    }
    if (at === undefined) {
      throw new PatchApplyError(
        `Failed to find expected lines in ${displayPath}:\n${chunk.oldLines.join('\n')}`,
      );
    }
    replacements.push({ start: at, oldLength: pattern.length, newLines });
    cursor = at + pattern.length;
  }
  return replacements;
}
