// Colours for everything the terminal UI prints. One Chalk instance whose level follows NO_COLOR,
// FORCE_COLOR and the terminal, so a plain theme is one switch and every renderer stays a pure function of
// (data, width, theme).

import { Chalk, type ChalkInstance } from 'chalk';

export interface Theme {
  /** False when colour is off (NO_COLOR, a dumb terminal): renderers then add no escapes at all. */
  colour: boolean;
  c: ChalkInstance;
}

/** The colour level for this process: NO_COLOR wins, then FORCE_COLOR, then what the terminal reports. */
export function colourLevel(
  env: NodeJS.ProcessEnv,
  stream: { isTTY?: boolean; getColorDepth?: () => number },
): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const forced = env.FORCE_COLOR;
  if (forced !== undefined && forced !== '') {
    if (forced === 'false' || forced === '0') return 0;
    const n = Number.parseInt(forced, 10);
    return Number.isNaN(n) ? 1 : (Math.min(Math.max(n, 1), 3) as 1 | 2 | 3);
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  const depth = stream.getColorDepth?.() ?? 4;
  return depth >= 24 ? 3 : depth >= 8 ? 2 : 1;
}

export function createTheme(level: 0 | 1 | 2 | 3): Theme {
  return { colour: level > 0, c: new Chalk({ level }) };
}

export const PLAIN_THEME: Theme = createTheme(0);
