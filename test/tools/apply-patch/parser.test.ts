import { describe, expect, it } from 'vitest';
import { PatchParseError } from '../../../src/tools/apply-patch/errors.js';
import { parsePatch } from '../../../src/tools/apply-patch/parser.js';

function parseError(text: string): PatchParseError {
  try {
    parsePatch(text);
  } catch (err) {
    if (err instanceof PatchParseError) return err;
    throw err;
  }
  throw new Error('expected the patch to be rejected');
}

describe('parsePatch', () => {
  it('reads every kind of file operation', () => {
    const { hunks } = parsePatch(
      [
        '*** Begin Patch',
        '*** Add File: a.txt',
        '+one',
        '+',
        '*** Delete File: b.txt',
        '*** Update File: c.txt',
        '*** Move to: d/c.txt',
        '@@ def f():',
        ' keep',
        '-old',
        '+new',
        '',
        '@@',
        '+tail',
        '*** End of File',
        '*** End Patch',
      ].join('\n'),
    );
    expect(hunks).toEqual([
      { type: 'add', path: 'a.txt', contents: 'one\n\n' },
      { type: 'delete', path: 'b.txt' },
      {
        type: 'update',
        path: 'c.txt',
        movePath: 'd/c.txt',
        chunks: [
          {
            changeContext: 'def f():',
            oldLines: ['keep', 'old', ''],
            newLines: ['keep', 'new', ''],
            isEndOfFile: false,
          },
          { oldLines: [], newLines: ['tail'], isEndOfFile: true },
        ],
      },
    ]);
  });

  it('accepts a first chunk without @@ but requires it on later chunks', () => {
    const ok = parsePatch('*** Begin Patch\n*** Update File: x\n-a\n+b\n*** End Patch');
    expect(ok.hunks[0]).toMatchObject({ chunks: [{ oldLines: ['a'], newLines: ['b'] }] });
    const err = parseError(
      '*** Begin Patch\n*** Update File: x\n@@\n-a\n+b\n*** End of File\nbogus\n*** End Patch',
    );
    expect(err.line).toBe(7);
    expect(err.message).toContain("expected a chunk to start with '@@'");
  });

  it('unwraps a heredoc and numbers lines in the text as sent', () => {
    expect(parsePatch("<<'EOF'\n*** Begin Patch\n*** Delete File: x\n*** End Patch\nEOF").hunks).toEqual([
      { type: 'delete', path: 'x' },
    ]);
    expect(parsePatch('<<EOF\n*** Begin Patch\n*** Delete File: x\n*** End Patch\nEOF\n').hunks).toHaveLength(
      1,
    );
    const err = parseError('\n\n<<"EOF"\n*** Begin Patch\n*** Nope\n*** End Patch\nEOF');
    expect(err.line).toBe(5);
    expect(err.message).toBe(
      "invalid patch at line 5: '*** Nope' is not a valid file operation header; expected '*** Add File: <path>', '*** Delete File: <path>' or '*** Update File: <path>'",
    );
  });

  it('says which boundary is missing', () => {
    expect(parseError('').message).toBe('invalid patch at line 1: the patch is empty');
    expect(parseError('hello\n*** End Patch').message).toBe(
      "invalid patch at line 1: the first line must be '*** Begin Patch', got 'hello'",
    );
    expect(parseError('*** Begin Patch\n*** Delete File: x').line).toBe(2);
    expect(parseError('*** Begin Patch\n*** End Patch').message).toContain('contains no file operations');
  });

  it('rejects an update without changes, a header without a path and a stray line in a chunk', () => {
    expect(parseError('*** Begin Patch\n*** Update File: a\n*** End Patch').message).toBe(
      "invalid patch at line 2: the update of 'a' has no changes (expected '@@' and diff lines)",
    );
    expect(parseError('*** Begin Patch\n*** Add File:   \n+x\n*** End Patch').message).toContain(
      "'*** Add File:' needs a file path",
    );
    const stray = parseError('*** Begin Patch\n*** Update File: a\n@@\nnot a diff line\n*** End Patch');
    expect(stray.line).toBe(4);
    expect(stray.message).toContain("unexpected line 'not a diff line' in a chunk");
    expect(
      parseError('*** Begin Patch\n*** Update File: a\n@@\n*** End of File\n*** End Patch').message,
    ).toContain("'*** End of File' closes a chunk with no diff lines");
  });

  it('ends a chunk at an unknown line after its first and a hunk at the next *** header', () => {
    const { hunks } = parsePatch(
      '*** Begin Patch\n*** Update File: a\n@@\n-x\n+y\n*** Delete File: b\n*** End Patch',
    );
    expect(hunks.map((h) => h.type)).toEqual(['update', 'delete']);
  });
});
