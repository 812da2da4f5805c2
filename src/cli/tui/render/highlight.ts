// Syntax colour for code blocks, by highlight.js grammars through emphasize (ANSI output). Loaded in the
// background after start-up: its 37 grammars cost tens of milliseconds that the first frame should not wait
// for; until then code blocks are shown plain.

import type { Highlighter } from './markdown.js';

const ALIASES: Record<string, string> = {
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'bash',
  js: 'javascript',
  ts: 'typescript',
  py: 'python',
  rs: 'rust',
  yml: 'yaml',
};
const MAX_HIGHLIGHT_CHARS = 20_000;

let loaded: Highlighter | undefined;

export function currentHighlighter(): Highlighter {
  return (code, lang) => loaded?.(code, lang);
}

export async function loadHighlighter(): Promise<void> {
  if (loaded) return;
  const { createEmphasize, common } = await import('emphasize');
  const emphasize = createEmphasize(common);
  loaded = (code, lang) => {
    // A huge block would stall the frame; it is shown plain instead.
    if (!lang || code.length > MAX_HIGHLIGHT_CHARS) return undefined;
    const name = ALIASES[lang.toLowerCase()] ?? lang.toLowerCase();
    if (!emphasize.registered(name)) return undefined;
    try {
      return emphasize.highlight(name, code).value;
    } catch {
      return undefined;
    }
  };
}
