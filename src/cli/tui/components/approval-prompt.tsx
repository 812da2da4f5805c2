// The approval prompt: what the agent wants to run (or the patch, with its diff) and why, then one key for
// each answer. "For this session" names the scope it will cover, as computed by the core's approval cache.

import type { ReviewDecision } from '../../../index.js';
import type { Approval } from '../model/transcript.js';
import { displayCommand } from '../model/transcript.js';
import { renderChanges } from '../render/diff.js';
import { stripControls, truncateLine, wrapWithPrefix } from '../render/text.js';
import type { Theme } from '../render/theme.js';
import { Lines } from './lines.js';
import { useKeys } from './use-keys.js';

const MAX_COMMAND_LINES = 6;
const MAX_REASON_LINES = 3;

export interface ApprovalOption {
  key: string;
  label: string;
  decision: ReviewDecision | 'show-diff';
}

export function approvalOptions(approval: Approval): ApprovalOption[] {
  const scope =
    approval.kind === 'exec'
      ? approval.sessionScope?.length
        ? approval.sessionScope.join(', ')
        : displayCommand(approval.command)
      : undefined;
  const options: ApprovalOption[] = [
    { key: 'y', label: approval.kind === 'exec' ? 'Yes, run it' : 'Yes, apply it', decision: 'approved' },
    {
      key: 'a',
      label:
        approval.kind === 'exec'
          ? `Yes, and don't ask again this session for: ${scope}`
          : "Yes, and don't ask again this session for this same patch",
      decision: 'approved_for_session',
    },
    { key: 'n', label: 'No, and tell the agent', decision: 'denied' },
    { key: 'esc', label: 'Abort: stop the turn', decision: 'abort' },
  ];
  if (approval.kind === 'patch')
    options.push({ key: 'd', label: 'Print the whole diff above', decision: 'show-diff' });
  return options;
}

/** The prompt's lines, never more than `maxLines` (the diff is cut first, then the command). */
export function approvalLines(approval: Approval, width: number, theme: Theme, maxLines: number): string[] {
  const { c } = theme;
  const title =
    approval.kind === 'exec'
      ? c.yellow.bold('Allow this command?')
      : c.yellow.bold('Allow these file changes?');
  const head: string[] = [title];
  if (approval.kind === 'exec') {
    const cmd = stripControls(displayCommand(approval.command))
      .split('\n')
      .flatMap((line, i) =>
        wrapWithPrefix(c.bold(line), width, i === 0 ? c.magenta('  $ ') : '    ', '    '),
      );
    head.push(...cut(cmd, MAX_COMMAND_LINES, theme));
    head.push(truncateLine(c.dim(`    in ${approval.cwd}`), width));
  }
  if (approval.reason) {
    const reason = wrapWithPrefix(stripControls(approval.reason), width, c.dim('  reason: '), '          ');
    head.push(...cut(reason, MAX_REASON_LINES, theme));
  }
  if (approval.kind === 'patch' && approval.grantRoot) {
    head.push(truncateLine(c.dim(`  would allow writes under ${approval.grantRoot}`), width));
  }
  const options = approvalOptions(approval).flatMap((o) =>
    wrapWithPrefix(o.label, width, `  ${c.cyan.bold(o.key.padEnd(3))} `, '      '),
  );
  let lines = [...head, ...options];
  if (approval.kind === 'patch') {
    const room = Math.max(2, maxLines - lines.length);
    const diff = renderChanges(approval.changes, width - 2, theme, room).map((l) => `  ${l}`);
    lines = [...head, ...diff, ...options];
  }
  if (lines.length > maxLines) {
    // A tiny terminal: keep the title and the keys.
    lines = [title, ...options].slice(0, Math.max(1, maxLines));
  }
  return lines;
}

function cut(lines: string[], max: number, theme: Theme): string[] {
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max - 1), theme.c.dim(`    … +${lines.length - max + 1} lines`)];
}

export interface ApprovalPromptProps {
  approval: Approval;
  width: number;
  maxLines: number;
  theme: Theme;
  onDecision: (decision: ReviewDecision) => void;
  onShowDiff?: () => void;
}

export function ApprovalPrompt({
  approval,
  width,
  maxLines,
  theme,
  onDecision,
  onShowDiff,
}: ApprovalPromptProps) {
  useKeys((key) => {
    const name =
      key.name === 'char' ? key.text?.toLowerCase() : key.ctrl && key.name === 'c' ? 'esc' : key.name;
    const pressed = name === 'escape' ? 'esc' : name;
    const option = approvalOptions(approval).find((o) => o.key === pressed);
    if (!option) return;
    if (option.decision === 'show-diff') onShowDiff?.();
    else onDecision(option.decision);
  });
  return <Lines lines={approvalLines(approval, width, theme, maxLines)} />;
}
