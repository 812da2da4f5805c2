import { describe, expect, it } from 'vitest';
import { normalisePunctuation, seekSequence } from '../../../src/tools/apply-patch/seek-sequence.js';
import { applyChunks } from '../../../src/tools/apply-patch/update.js';

describe('seekSequence', () => {
  const lines = ['a', 'b  ', '  c', 'd', 'a'];

  it('climbs the fuzz ladder one level at a time', () => {
    expect(seekSequence(lines, ['a'], 0, false)).toBe(0);
    expect(seekSequence(lines, ['a'], 1, false)).toBe(4);
    expect(seekSequence(lines, ['b'], 0, false)).toBe(1);
    expect(seekSequence(lines, ['c'], 0, false)).toBe(2);
    expect(seekSequence(['x \u2013 y'], ['x - y'], 0, false)).toBe(0);
    expect(seekSequence(lines, ['z'], 0, false)).toBeUndefined();
  });

  it('prefers an exact match later in the file over a fuzzy one earlier', () => {
    expect(seekSequence(['foo ', 'foo'], ['foo'], 0, false)).toBe(1);
  });

  it('handles empty and oversized patterns and the EOF anchor', () => {
    expect(seekSequence(lines, [], 3, false)).toBe(3);
    expect(seekSequence(['a'], ['a', 'b'], 0, false)).toBeUndefined();
    expect(seekSequence(lines, ['a'], 0, true)).toBe(4);
    expect(seekSequence(lines, ['d'], 0, true)).toBe(3);
  });

  it('folds dashes, quotes and odd spaces to ASCII', () => {
    expect(
      normalisePunctuation(
        '\u2018a\u2019 \u201cb\u201d \u2010\u2011\u2012\u2013\u2014\u2015\u2212 x\u00a0y\u2009z\u3000w',
      ),
    ).toBe('\'a\' "b" ------- x y z w');
  });
});

describe('applyChunks', () => {
  it('appends pure insertions at the end and keeps a final newline', () => {
    expect(applyChunks('a\nb', [{ oldLines: [], newLines: ['c'], isEndOfFile: false }], 'f').content).toBe(
      'a\nb\nc\n',
    );
  });

  it('keeps two insertions at one place in patch order', () => {
    const chunks = [
      { oldLines: [], newLines: ['x'], isEndOfFile: false },
      { oldLines: [], newLines: ['y'], isEndOfFile: false },
    ];
    expect(applyChunks('a\n', chunks, 'f').content).toBe('a\nx\ny\n');
  });

  it('retries without a trailing empty context line', () => {
    const chunk = { oldLines: ['b', ''], newLines: ['B', ''], isEndOfFile: false };
    expect(applyChunks('a\nb\n', [chunk], 'f').content).toBe('a\nB\n');
  });

  it('seeks each chunk after the previous one', () => {
    const chunks = [
      { oldLines: ['x'], newLines: ['1'], isEndOfFile: false },
      { oldLines: ['x'], newLines: ['2'], isEndOfFile: false },
    ];
    expect(applyChunks('x\ny\nx\n', chunks, 'f').content).toBe('1\ny\n2\n');
    expect(() => applyChunks('x\n', chunks, 'f.txt')).toThrow('Failed to find expected lines in f.txt:\nx');
  });
});
