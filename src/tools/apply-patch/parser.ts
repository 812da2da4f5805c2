// Parser for the `*** Begin Patch` format. Always lenient, the way models actually write patches: the text
// is trimmed, a heredoc wrapper is removed, headers are trimmed, the first chunk of an update may omit `@@`.
// Hand-written because the format is line-oriented and its leniency rules are not a grammar a generic
// parser expresses; every error names the line (1-based, in the text as sent) and what was expected.

import { PatchParseError } from './errors.js';
import type { ParsedPatch, PatchHunk, UpdateChunk } from './types.js';

export const BEGIN_PATCH = '*** Begin Patch';
export const END_PATCH = '*** End Patch';
// Matched without the space after the colon: a header is trimmed, so `*** Add File: ` with no path loses it.
const ADD_FILE = '*** Add File:';
const DELETE_FILE = '*** Delete File:';
const UPDATE_FILE = '*** Update File:';
const MOVE_TO = '*** Move to:';
const END_OF_FILE = '*** End of File';
const HEREDOC_STARTS = new Set(['<<EOF', "<<'EOF'", '<<"EOF"']);

/** A line of the patch with its 1-based number in the original text. */
interface Line {
  text: string;
  no: number;
}

export function parsePatch(text: string): ParsedPatch {
  const lines = trimmedLines(text);
  const body = stripBoundaries(lines);
  const hunks: PatchHunk[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i].text.trim() === '') {
      i++;
      continue;
    }
    const { hunk, consumed } = parseHunk(body, i);
    hunks.push(hunk);
    i += consumed;
  }
  if (hunks.length === 0) {
    const at = lines.length > 0 ? lines[lines.length - 1].no : 1;
    throw new PatchParseError('the patch contains no file operations (Add, Delete or Update File)', at);
  }
  return { hunks };
}

/** Splits the trimmed text into lines, keeping each line's number in the untrimmed text. */
function trimmedLines(text: string): Line[] {
  const leading = text.length - text.trimStart().length;
  const firstNo = text.slice(0, leading).split('\n').length;
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split(/\r?\n/).map((t, idx) => ({ text: t, no: firstNo + idx }));
}

/** Checks the Begin/End markers (unwrapping a heredoc first if that is what makes them match). */
function stripBoundaries(lines: Line[]): Line[] {
  const problem = boundaryProblem(lines);
  if (problem === undefined) return lines.slice(1, -1);
  if (
    lines.length >= 4 &&
    HEREDOC_STARTS.has(lines[0].text.trim()) &&
    lines[lines.length - 1].text.trimEnd().endsWith('EOF')
  ) {
    const inner = lines.slice(1, -1);
    if (boundaryProblem(inner) === undefined) return inner.slice(1, -1);
  }
  throw problem;
}

function boundaryProblem(lines: Line[]): PatchParseError | undefined {
  if (lines.length === 0) return new PatchParseError('the patch is empty', 1);
  const first = lines[0];
  if (first.text.trim() !== BEGIN_PATCH) {
    return new PatchParseError(`the first line must be '${BEGIN_PATCH}', got '${first.text}'`, first.no);
  }
  const last = lines[lines.length - 1];
  if (lines.length < 2 || last.text.trim() !== END_PATCH) {
    return new PatchParseError(`the last line must be '${END_PATCH}', got '${last.text}'`, last.no);
  }
  return undefined;
}

function parseHunk(lines: Line[], start: number): { hunk: PatchHunk; consumed: number } {
  const header = lines[start];
  const headerText = header.text.trim();
  if (headerText.startsWith(ADD_FILE)) {
    const path = headerPath(headerText, ADD_FILE, header);
    let contents = '';
    let i = start + 1;
    while (i < lines.length && lines[i].text.startsWith('+')) {
      contents += `${lines[i].text.slice(1)}\n`;
      i++;
    }
    return { hunk: { type: 'add', path, contents }, consumed: i - start };
  }
  if (headerText.startsWith(DELETE_FILE)) {
    return { hunk: { type: 'delete', path: headerPath(headerText, DELETE_FILE, header) }, consumed: 1 };
  }
  if (headerText.startsWith(UPDATE_FILE)) return parseUpdateHunk(lines, start);
  throw new PatchParseError(
    `'${header.text}' is not a valid file operation header; expected '${ADD_FILE} <path>', '${DELETE_FILE} <path>' or '${UPDATE_FILE} <path>'`,
    header.no,
  );
}

function headerPath(headerText: string, prefix: string, line: Line): string {
  const path = headerText.slice(prefix.length).trim();
  if (path === '') throw new PatchParseError(`'${prefix}' needs a file path`, line.no);
  return path;
}

function parseUpdateHunk(lines: Line[], start: number): { hunk: PatchHunk; consumed: number } {
  const header = lines[start];
  const path = headerPath(header.text.trim(), UPDATE_FILE, header);
  let i = start + 1;
  let movePath: string | undefined;
  if (i < lines.length && lines[i].text.trim().startsWith(MOVE_TO)) {
    movePath = headerPath(lines[i].text.trim(), MOVE_TO, lines[i]);
    i++;
  }
  const chunks: UpdateChunk[] = [];
  while (i < lines.length) {
    const text = lines[i].text;
    if (text.trim() === '') {
      i++;
      continue;
    }
    if (text.startsWith('***')) break;
    const { chunk, consumed } = parseChunk(lines, i, chunks.length === 0);
    chunks.push(chunk);
    i += consumed;
  }
  if (chunks.length === 0) {
    throw new PatchParseError(
      `the update of '${path}' has no changes (expected '@@' and diff lines)`,
      header.no,
    );
  }
  return { hunk: { type: 'update', path, movePath, chunks }, consumed: i - start };
}

function parseChunk(
  lines: Line[],
  start: number,
  allowMissingContext: boolean,
): { chunk: UpdateChunk; consumed: number } {
  const first = lines[start];
  const chunk: UpdateChunk = { oldLines: [], newLines: [], isEndOfFile: false };
  let i = start;
  if (first.text.trimEnd() === '@@') {
    i++;
  } else if (first.text.startsWith('@@ ')) {
    chunk.changeContext = first.text.slice(3);
    i++;
  } else if (!allowMissingContext) {
    throw new PatchParseError(
      `expected a chunk to start with '@@' or '@@ <context>', got '${first.text}'`,
      first.no,
    );
  }
  let diffLines = 0;
  for (; i < lines.length; i++) {
    const { text, no } = lines[i];
    if (text.trimEnd() === END_OF_FILE) {
      if (diffLines === 0)
        throw new PatchParseError(`'${END_OF_FILE}' closes a chunk with no diff lines`, no);
      chunk.isEndOfFile = true;
      i++;
      break;
    }
    const marker = text[0];
    if (text === '') {
      // An empty line inside a chunk is an empty context line (editors strip the lone space).
      chunk.oldLines.push('');
      chunk.newLines.push('');
    } else if (marker === ' ') {
      chunk.oldLines.push(text.slice(1));
      chunk.newLines.push(text.slice(1));
    } else if (marker === '-') {
      chunk.oldLines.push(text.slice(1));
    } else if (marker === '+') {
      chunk.newLines.push(text.slice(1));
    } else if (diffLines === 0) {
      throw new PatchParseError(
        `unexpected line '${text}' in a chunk: every line must start with ' ' (context), '-' (removed) or '+' (added)`,
        no,
      );
    } else {
      break;
    }
    diffLines++;
  }
  if (diffLines === 0) {
    throw new PatchParseError('a chunk has no diff lines after its @@ marker', lines[start].no);
  }
  return { chunk, consumed: i - start };
}
