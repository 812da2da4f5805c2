// Markdown answers as terminal lines: headings, paragraphs, lists, quotes, rules, tables and fenced code
// with syntax colour. marked's lexer does the parsing; this walks its tokens, because every Markdown-to-ANSI
// package on npm either lags behind marked or drags in its own highlighter and width logic.

import { Lexer, type Token, type Tokens } from 'marked';
import { stringWidth, stripControls, truncateLine, wrapLine, wrapWithPrefix } from './text.js';
import type { Theme } from './theme.js';

/** Colours one code block; undefined when the language is unknown (the block is shown plain). */
export type Highlighter = (code: string, lang: string | undefined) => string | undefined;

export interface MarkdownOptions {
  width: number;
  theme: Theme;
  highlight?: Highlighter;
}

export function renderMarkdown(source: string, options: MarkdownOptions): string[] {
  const tokens = new Lexer({ gfm: true }).lex(stripControls(source));
  return blocks(tokens, options, Math.max(10, options.width));
}

function blocks(tokens: Token[], o: MarkdownOptions, width: number): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const lines = block(token, o, width);
    if (lines.length === 0) continue;
    if (out.length > 0) out.push('');
    out.push(...lines);
  }
  return out;
}

function block(token: Token, o: MarkdownOptions, width: number): string[] {
  const { c } = o.theme;
  switch (token.type) {
    case 'space':
      return [];
    case 'heading': {
      const t = token as Tokens.Heading;
      const text = inline(t.tokens, o);
      const styled = t.depth === 1 ? c.bold.underline(text) : c.bold(text);
      const marker = c.dim(`${'#'.repeat(t.depth)} `);
      return wrapWithPrefix(styled, width, marker, ' '.repeat(t.depth + 1));
    }
    case 'paragraph':
      return wrapParagraph(inline((token as Tokens.Paragraph).tokens, o), width);
    case 'text': {
      const t = token as Tokens.Text;
      return wrapParagraph(t.tokens ? inline(t.tokens, o) : t.text, width);
    }
    case 'code':
      return codeBlock(token as Tokens.Code, o, width);
    case 'blockquote': {
      const inner = blocks((token as Tokens.Blockquote).tokens, o, width - 2);
      return inner.map((line) => `${c.dim('│ ')}${c.italic(line)}`);
    }
    case 'list':
      return list(token as Tokens.List, o, width);
    case 'hr':
      return [c.dim('─'.repeat(Math.min(width, 40)))];
    case 'table':
      return table(token as Tokens.Table, o, width);
    case 'html':
      return wrapParagraph((token as Tokens.HTML).text.trimEnd(), width);
    default:
      return 'raw' in token && typeof token.raw === 'string' ? wrapParagraph(token.raw.trimEnd(), width) : [];
  }
}

function wrapParagraph(text: string, width: number): string[] {
  return text.split('\n').flatMap((line) => wrapLine(line, width));
}

function codeBlock(t: Tokens.Code, o: MarkdownOptions, width: number): string[] {
  const { c } = o.theme;
  const code = t.text.replace(/\n$/, '');
  const lang = t.lang?.trim().split(/\s+/)[0] || undefined;
  const coloured = o.theme.colour ? (o.highlight?.(code, lang) ?? code) : code;
  const gutter = c.dim('│ ');
  const lines = coloured.split('\n').flatMap((line) => wrapLine(line, width - 2).map((l) => gutter + l));
  return lang ? [c.dim(`╭ ${lang}`), ...lines] : lines;
}

function list(t: Tokens.List, o: MarkdownOptions, width: number): string[] {
  const out: string[] = [];
  const start = typeof t.start === 'number' ? t.start : 1;
  t.items.forEach((item, i) => {
    const marker = t.ordered ? `${start + i}. ` : '• ';
    const box = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
    const prefix = o.theme.c.dim(marker) + box;
    const indent = ' '.repeat(stringWidth(marker));
    const tokens = item.tokens.filter((tok) => tok.type !== 'checkbox');
    const inner = blocks(tokens, o, width - indent.length);
    const body = t.loose ? inner : inner.filter((line) => line !== '');
    body.forEach((line, j) => {
      out.push((j === 0 ? prefix : indent) + line);
    });
    if (t.loose && i < t.items.length - 1) out.push('');
  });
  return out;
}

function table(t: Tokens.Table, o: MarkdownOptions, width: number): string[] {
  const cells = [t.header, ...t.rows].map((row) => row.map((cell) => inline(cell.tokens, o)));
  const widths = t.header.map((_, col) => Math.max(...cells.map((row) => stringWidth(row[col] ?? ''))));
  const pad = (text: string, w: number) => text + ' '.repeat(Math.max(0, w - stringWidth(text)));
  const line = (row: string[]) =>
    truncateLine(row.map((cell, col) => pad(cell, widths[col])).join(' │ '), width);
  const rule = o.theme.c.dim(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  return [o.theme.c.bold(line(cells[0])), truncateLine(rule, width), ...cells.slice(1).map(line)];
}

function inline(tokens: Token[] | undefined, o: MarkdownOptions): string {
  if (!tokens) return '';
  const { c } = o.theme;
  return tokens
    .map((token): string => {
      switch (token.type) {
        case 'strong':
          return c.bold(inline((token as Tokens.Strong).tokens, o));
        case 'em':
          return c.italic(inline((token as Tokens.Em).tokens, o));
        case 'del':
          return c.strikethrough(inline((token as Tokens.Del).tokens, o));
        case 'codespan':
          return c.cyan(decodeEntities((token as Tokens.Codespan).text));
        case 'link': {
          const t = token as Tokens.Link;
          const text = inline(t.tokens, o);
          return text === t.href ? c.blue.underline(text) : `${text} ${c.dim(`(${t.href})`)}`;
        }
        case 'image':
          return c.dim(`[image: ${(token as Tokens.Image).text || (token as Tokens.Image).href}]`);
        case 'br':
          return '\n';
        case 'text': {
          const t = token as Tokens.Text;
          return t.tokens ? inline(t.tokens, o) : decodeEntities(t.text);
        }
        case 'escape':
          return decodeEntities((token as Tokens.Escape).text);
        default:
          return 'raw' in token && typeof token.raw === 'string' ? token.raw : '';
      }
    })
    .join('');
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);
}
