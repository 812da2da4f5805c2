// Long command output folded to its head and tail with a count of the hidden lines (as Codex does: a few
// lines each end), so a 5,000-line build log is one short cell in the scrollback.

export interface Folded {
  lines: string[];
  hidden: number;
  /** Index in `lines` where the hidden part was (the marker goes there). */
  at: number;
}

export function foldLines(lines: string[], head: number, tail: number): Folded {
  if (lines.length <= head + tail + 1) return { lines, hidden: 0, at: lines.length };
  return {
    lines: [...lines.slice(0, head), ...lines.slice(lines.length - tail)],
    hidden: lines.length - head - tail,
    at: head,
  };
}
