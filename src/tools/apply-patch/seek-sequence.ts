// Finds where a run of lines occurs in a file, trying stricter comparisons first (the fuzz ladder):
// exact, then ignoring trailing whitespace, then both ends, then with typographic punctuation and odd
// spaces folded to ASCII. Models retype code from memory; these are the differences they introduce.

type Normalise = (line: string) => string;

const DASHES = /[\u2010-\u2015\u2212]/g;
const SINGLE_QUOTES = /[\u2018-\u201B]/g;
const DOUBLE_QUOTES = /[\u201C-\u201F]/g;
const ODD_SPACES = /[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g;

/** Folds the characters models substitute for ASCII: dashes, curly quotes and non-breaking/odd spaces. */
export function normalisePunctuation(line: string): string {
  return line
    .trim()
    .replace(DASHES, '-')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(ODD_SPACES, ' ');
}

export const FUZZ_LEVELS: readonly Normalise[] = [
  (s) => s,
  (s) => s.trimEnd(),
  (s) => s.trim(),
  normalisePunctuation,
];

/** A file's lines with each fuzz level's normalised form computed once, on first use. */
export class FileLines {
  private readonly levels: (readonly string[] | undefined)[] = [];

  constructor(readonly lines: readonly string[]) {}

  get length(): number {
    return this.lines.length;
  }

  at(level: number): readonly string[] {
    let normalised = this.levels[level];
    if (!normalised) {
      normalised = level === 0 ? this.lines : this.lines.map(FUZZ_LEVELS[level]);
      this.levels[level] = normalised;
    }
    return normalised;
  }
}

/**
 * Index of the first occurrence of `pattern` at or after `start`, or undefined. With `eof`, a match that
 * ends at the last line is tried first (the chunk said `*** End of File`).
 */
export function seekSequence(
  file: FileLines | readonly string[],
  pattern: readonly string[],
  start: number,
  eof: boolean,
): number | undefined {
  const lines = file instanceof FileLines ? file : new FileLines(file);
  if (pattern.length === 0) return start;
  if (pattern.length > lines.length) return undefined;
  const patterns = FUZZ_LEVELS.map((norm) => pattern.map(norm));
  if (eof) {
    const anchored = lines.length - pattern.length;
    if (anchored >= start && patterns.some((p, level) => matchesAt(lines.at(level), p, anchored)))
      return anchored;
  }
  for (let level = 0; level < FUZZ_LEVELS.length; level++) {
    const normalised = lines.at(level);
    for (let i = start; i <= lines.length - pattern.length; i++) {
      if (matchesAt(normalised, patterns[level], i)) return i;
    }
  }
  return undefined;
}

function matchesAt(lines: readonly string[], pattern: readonly string[], at: number): boolean {
  for (let j = 0; j < pattern.length; j++) {
    if (lines[at + j] !== pattern[j]) return false;
  }
  return true;
}
