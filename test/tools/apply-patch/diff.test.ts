// The FileChange diff is computed per replaced region; it must still be a correct unified diff of the
// whole file: applying it to the original with the `diff` package gives exactly the new content.

import { applyPatch, createTwoFilesPatch, OMIT_HEADERS } from 'diff';
import { describe, expect, it } from 'vitest';
import { updateUnifiedDiff } from '../../../src/tools/apply-patch/diff.js';
import type { UpdateChunk } from '../../../src/tools/apply-patch/types.js';
import { applyChunks } from '../../../src/tools/apply-patch/update.js';

const original = `${Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n')}\n`;
const chunk = (oldLines: string[], newLines: string[]): UpdateChunk => ({
  oldLines,
  newLines,
  isEndOfFile: false,
});

const CASES: Record<string, UpdateChunk[]> = {
  'one change': [chunk(['line 10'], ['ten'])],
  'changes whose contexts touch': [chunk(['line 10'], ['ten']), chunk(['line 15'], ['fifteen'])],
  'changes far apart': [
    chunk(['line 2'], []),
    chunk(['line 30', 'line 31'], ['a', 'b', 'c']),
    chunk(['line 58'], ['x']),
  ],
  'at both ends': [chunk(['line 0'], ['first']), chunk(['line 59'], ['last'])],
  'pure insertions': [chunk(['line 20'], ['line 20', 'new 1', 'new 2']), chunk([], ['appended'])],
  'context rewritten': [chunk([' line 40 ', 'line 41', 'line 42  '], ['line 40', 'changed', 'line 42'])],
};

describe('updateUnifiedDiff', () => {
  for (const [name, chunks] of Object.entries(CASES)) {
    it(`round-trips: ${name}`, () => {
      const updated = applyChunks(original, chunks, 'f');
      const diff = updateUnifiedDiff(original, updated);
      expect(applyPatch(original, diff)).toBe(updated.content);
      expect(diff).toBe(
        createTwoFilesPatch('', '', original, updated.content, undefined, undefined, {
          context: 3,
          headerOptions: OMIT_HEADERS,
        }),
      );
    });
  }

  it('shows the final newline an update adds', () => {
    const updated = applyChunks('a\nb', [chunk(['a'], ['A'])], 'f');
    const diff = updateUnifiedDiff('a\nb', updated);
    expect(diff).toContain('\\ No newline at end of file');
    expect(applyPatch('a\nb', diff)).toBe('A\nb\n');
  });
});
