// Diffs as coloured terminal lines: the `changes` of a patch (approval prompts, applied patches) and
// unified diffs (`turn_diff`, /diff). Long diffs are cut with a count of what was left out, because an
// unbounded diff in a prompt is what froze other agents' UIs.

import type { FileChange } from '../../../index.js';
import { splitLines, stripControls, truncateLine } from './text.js';
import type { Theme } from './theme.js';

export function colourDiffLine(line: string, theme: Theme): string {
  const { c } = theme;
  if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
  if (line.startsWith('+')) return c.green(line);
  if (line.startsWith('-')) return c.red(line);
  if (line.startsWith('@@')) return c.cyan(line);
  if (line.startsWith('diff ') || line.startsWith('index ')) return c.bold(line);
  return line;
}

/** The raw (uncoloured) diff lines of one file change, with a header naming the file. */
export function changeLines(path: string, change: FileChange): string[] {
  switch (change.type) {
    case 'add':
      return [`+++ ${path} (new)`, ...splitLines(change.content).map((l) => `+${l}`)];
    case 'delete':
      return [`--- ${path} (deleted)`, ...splitLines(change.content).map((l) => `-${l}`)];
    case 'update': {
      const header = change.move_path ? `*** ${path} → ${change.move_path}` : `*** ${path}`;
      const body = splitLines(change.unified_diff).filter(
        (l) => !l.startsWith('---') && !l.startsWith('+++'),
      );
      return [header, ...body];
    }
  }
}

export function summariseChanges(changes: Record<string, FileChange>): string {
  const counts = Object.entries(changes).map(([path, change]) => {
    const lines = changeLines(path, change).slice(1);
    const added = lines.filter((l) => l.startsWith('+')).length;
    const removed = lines.filter((l) => l.startsWith('-')).length;
    return `${path} (+${added} -${removed})`;
  });
  return counts.join(', ');
}

/**
 * Coloured lines of a set of changes, at most `maxLines` (the rest summarised in a last line). Every line is
 * cut to `width`: diff lines are not wrapped, so a long line never turns into many rows.
 */
export function renderChanges(
  changes: Record<string, FileChange>,
  width: number,
  theme: Theme,
  maxLines = Number.POSITIVE_INFINITY,
): string[] {
  const raw = Object.entries(changes).flatMap(([path, change]) => changeLines(path, change));
  return renderDiffLines(raw, width, theme, maxLines);
}

export function renderUnifiedDiff(
  diff: string,
  width: number,
  theme: Theme,
  maxLines = Number.POSITIVE_INFINITY,
): string[] {
  return renderDiffLines(splitLines(diff), width, theme, maxLines);
}

function renderDiffLines(raw: string[], width: number, theme: Theme, maxLines: number): string[] {
  const shown = raw.length > maxLines ? raw.slice(0, Math.max(0, maxLines - 1)) : raw;
  const lines = shown.map((line) => colourDiffLine(truncateLine(stripControls(line), width), theme));
  if (shown.length < raw.length) lines.push(theme.c.dim(`… +${raw.length - shown.length} more diff lines`));
  return lines;
}
