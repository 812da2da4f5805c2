// A coloured diff, cut to `maxLines` with a count of the rest: the changes of a patch or a unified diff.

import type { FileChange } from '../../../index.js';
import { renderChanges, renderUnifiedDiff } from '../render/diff.js';
import type { Theme } from '../render/theme.js';
import { Lines } from './lines.js';

export type DiffViewProps = { width: number; theme: Theme; maxLines?: number } & (
  | { changes: Record<string, FileChange> }
  | { diff: string }
);

export function DiffView(props: DiffViewProps) {
  const max = props.maxLines ?? Number.POSITIVE_INFINITY;
  const lines =
    'changes' in props
      ? renderChanges(props.changes, props.width, props.theme, max)
      : renderUnifiedDiff(props.diff, props.width, props.theme, max);
  return <Lines lines={lines} />;
}
