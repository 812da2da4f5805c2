// A short list to choose from (/resume, /approvals): ↑/↓ move, Enter picks, Esc closes.

import { useRef, useState } from 'react';
import type { Picker as PickerModel } from '../controller.js';
import { truncateLine } from '../render/text.js';
import type { Theme } from '../render/theme.js';
import { Lines } from './lines.js';
import { useKeys } from './use-keys.js';

export function pickerLines(
  p: PickerModel,
  selected: number,
  width: number,
  theme: Theme,
  maxLines: number,
): string[] {
  const rows = Math.max(1, maxLines - 2);
  const start = Math.min(Math.max(0, selected - rows + 1), Math.max(0, p.items.length - rows));
  const items = p.items.slice(start, start + rows).map((item, i) => {
    const index = start + i;
    const label = index === selected ? theme.c.cyan.bold(`▸ ${item.label}`) : `  ${item.label}`;
    return truncateLine(item.detail ? `${label}  ${theme.c.dim(item.detail)}` : label, width);
  });
  return [theme.c.bold(p.title), ...items, theme.c.dim('↑/↓ choose · enter select · esc cancel')].slice(
    0,
    maxLines,
  );
}

export function Picker(props: {
  picker: PickerModel;
  width: number;
  maxLines: number;
  theme: Theme;
  onClose: () => void;
}) {
  const { picker, width, maxLines, theme, onClose } = props;
  const selected = useRef(0);
  const [, rerender] = useState(0);
  useKeys((key) => {
    const n = picker.items.length;
    if (key.name === 'up') selected.current = (selected.current + n - 1) % n;
    else if (key.name === 'down') selected.current = (selected.current + 1) % n;
    else if (key.name === 'enter') {
      onClose();
      picker.onPick(picker.items[selected.current].value);
      return;
    } else if (key.name === 'escape' || (key.ctrl && key.name === 'c')) return onClose();
    else return;
    rerender((x) => x + 1);
  });
  return <Lines lines={pickerLines(picker, selected.current, width, theme, maxLines)} />;
}
