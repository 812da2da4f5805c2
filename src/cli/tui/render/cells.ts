// A finished cell as terminal lines, at the width of the moment it is printed (the terminal reflows it
// after a resize). Each cell ends with a blank line, which separates it from the next.

import type { Cell } from '../model/cells.js';
import { renderChanges, renderUnifiedDiff, summariseChanges } from './diff.js';
import { type Highlighter, renderMarkdown } from './markdown.js';
import { stripControls, truncateLine, wrapLine, wrapWithPrefix } from './text.js';
import type { Theme } from './theme.js';

/** Diff lines printed for an applied patch or /diff; the rest is counted. */
const MAX_DIFF_LINES = 400;
const MAX_MCP_RESULT_LINES = 8;

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m ${Math.round(s % 60)}s`;
}

export function renderCell(cell: Cell, width: number, theme: Theme, highlight?: Highlighter): string[] {
  return [...cellLines(cell, Math.max(10, width), theme, highlight), ''];
}

function cellLines(cell: Cell, width: number, theme: Theme, highlight?: Highlighter): string[] {
  const { c } = theme;
  switch (cell.kind) {
    case 'header':
      return [
        `${c.bold('conduit')} ${c.dim(cell.version)}${cell.resumed ? c.dim(' · resumed') : ''}`,
        truncateLine(c.dim(`model ${cell.model} · ${cell.cwd}`), width),
        truncateLine(c.dim(`session ${cell.sessionId} · /help for commands`), width),
      ];
    case 'user':
      return stripControls(cell.text)
        .split('\n')
        .flatMap((line, i) => wrapWithPrefix(line, width, i === 0 ? c.cyan.bold('› ') : '  ', '  '));
    case 'answer':
      return renderMarkdown(cell.markdown, { width, theme, highlight });
    case 'reasoning': {
      const lines = stripControls(cell.text)
        .split('\n')
        .filter((l) => l.trim() !== '')
        .flatMap((l) => wrapLine(l, width - 2));
      const shown = lines.slice(0, 4).map((l) => c.dim.italic(`  ${l}`));
      if (lines.length > 4) shown.push(c.dim(`  … +${lines.length - 4} lines of reasoning`));
      return [c.dim('thinking'), ...shown];
    }
    case 'exec': {
      const head = wrapWithPrefix(
        c.bold(stripControls(cell.command)),
        width,
        c.magenta(cell.byUser ? '! ' : '$ '),
        '  ',
      );
      const out = cell.output.map((l) => c.dim(truncateLine(`  ${l}`, width)));
      if (cell.hidden > 0) out.splice(cell.hiddenAt, 0, c.dim.italic(`  … +${cell.hidden} lines`));
      const status =
        cell.exitCode === undefined
          ? c.yellow(`  ⏹ interrupted after ${formatDuration(cell.durationMs)}`)
          : cell.exitCode === 0
            ? c.green(`  ✓ ${formatDuration(cell.durationMs)}`)
            : c.red(`  ✗ exit ${cell.exitCode} · ${formatDuration(cell.durationMs)}`);
      return [...head, ...out, status];
    }
    case 'patch': {
      const title = cell.success
        ? c.green(`✎ Applied patch${cell.autoApproved ? '' : ' (approved)'}: `)
        : c.red('✗ Patch failed: ');
      const lines = [...wrapWithPrefix(summariseChanges(cell.changes), width, title, '  ')];
      if (cell.message) lines.push(...wrapLine(c.red(cell.message), width));
      lines.push(...renderChanges(cell.changes, width - 2, theme, MAX_DIFF_LINES).map((l) => `  ${l}`));
      return lines;
    }
    case 'mcp': {
      const call = `${cell.server}.${cell.tool}(${cell.args})`;
      const mark = cell.ok ? c.green('⚙ ') : c.red('⚙ ');
      const head = [
        truncateLine(
          `${mark}${c.bold(stripControls(call))} ${c.dim(formatDuration(cell.durationMs))}`,
          width,
        ),
      ];
      const body = stripControls(cell.result).split('\n');
      const shown = body.slice(0, MAX_MCP_RESULT_LINES).map((l) => c.dim(truncateLine(`  ${l}`, width)));
      if (body.length > MAX_MCP_RESULT_LINES)
        shown.push(c.dim.italic(`  … +${body.length - MAX_MCP_RESULT_LINES} lines`));
      return [...head, ...shown];
    }
    case 'plan': {
      const lines = [c.bold('Plan')];
      if (cell.explanation) lines.push(...wrapLine(c.dim(stripControls(cell.explanation)), width));
      for (const item of cell.plan) {
        const box =
          item.status === 'completed' ? c.green('☑ ') : item.status === 'in_progress' ? c.yellow('◐ ') : '☐ ';
        const text = item.status === 'completed' ? c.dim.strikethrough(item.step) : item.step;
        lines.push(...wrapWithPrefix(stripControls(text), width, `  ${box}`, '    '));
      }
      return lines;
    }
    case 'decision':
      return wrapWithPrefix(cell.text, width, cell.approved ? c.green('✔ ') : c.red('✗ '), '  ');
    case 'diff': {
      const diff = renderUnifiedDiff(cell.diff, width, theme, MAX_DIFF_LINES);
      return [c.bold(cell.title), ...(diff.length ? diff : [c.dim('(no changes)')])];
    }
    case 'changes':
      return [c.bold(cell.title), ...renderChanges(cell.changes, width, theme, MAX_DIFF_LINES)];
    case 'info':
      return [...(cell.title ? [c.bold(cell.title)] : []), ...cell.lines.flatMap((l) => wrapLine(l, width))];
    case 'warning':
      return wrapWithPrefix(c.yellow(stripControls(cell.text)), width, c.yellow('⚠ '), '  ');
    case 'error':
      return wrapWithPrefix(c.red(stripControls(cell.text)), width, c.red('✗ '), '  ');
  }
}
