// Finds where a key path sits in TOML source text, so a validation error can say `config.toml:12:12`.
// smol-toml (like every maintained JS TOML parser) returns plain values without positions, hence this small
// line scanner. It understands table headers, dotted and quoted keys, and keys inside one-line inline tables;
// when the exact key is not found it falls back to the nearest enclosing table or key.

export interface SourcePosition {
  line: number;
  column: number;
  /** False when only an enclosing table or key was found. */
  exact?: boolean;
}

const KEY_SEGMENT = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*/y;

/** Parses `a."b c".d` starting at `from`; returns the segments and where parsing stopped. */
function parseKey(text: string, from: number): { segments: string[]; end: number } | undefined {
  const segments: string[] = [];
  let pos = from;
  for (;;) {
    KEY_SEGMENT.lastIndex = pos;
    const m = KEY_SEGMENT.exec(text);
    if (!m) return undefined;
    segments.push(m[1] ?? m[2] ?? m[3]);
    pos = KEY_SEGMENT.lastIndex;
    if (text[pos] !== '.') return { segments, end: pos };
    pos++;
  }
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

function firstNonSpace(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** Looks for `key = ` of the remaining path inside an inline table on one line. */
function locateInline(line: string, from: number, rest: readonly string[]): number | undefined {
  let pos = from;
  for (const seg of rest) {
    const re = new RegExp(`[{,]\\s*(?:"${escapeRe(seg)}"|'${escapeRe(seg)}'|${escapeRe(seg)})\\s*=\\s*`, 'g');
    re.lastIndex = pos;
    const m = re.exec(line);
    if (!m) return undefined;
    pos = m.index + m[0].length;
  }
  return pos;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function locateKey(source: string, path: readonly (string | number)[]): SourcePosition | undefined {
  const target = path.filter((p): p is string => typeof p === 'string');
  const lines = source.split(/\r?\n/);
  let table: string[] = [];
  let best: { depth: number; pos: SourcePosition } | undefined;
  let inMultiline: string | undefined;
  const consider = (depth: number, pos: SourcePosition) => {
    if (!best || depth > best.depth) best = { depth, pos };
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (inMultiline) {
      if (line.includes(inMultiline)) inMultiline = undefined;
      continue;
    }
    const start = firstNonSpace(line, 0);
    if (line[start] === '#' || start >= line.length) continue;
    if (line[start] === '[') {
      const isArray = line[start + 1] === '[';
      const key = parseKey(line, start + (isArray ? 2 : 1));
      if (!key) continue;
      table = key.segments;
      if (startsWith(target, table)) consider(table.length, { line: i + 1, column: start + 1 });
      continue;
    }
    const key = parseKey(line, start);
    if (!key || line[key.end] !== '=') continue;
    const full = [...table, ...key.segments];
    const valueStart = firstNonSpace(line, key.end + 1);
    const rest = line.slice(valueStart);
    const quote = rest.startsWith('"""') ? '"""' : rest.startsWith("'''") ? "'''" : undefined;
    if (quote && !rest.slice(3).includes(quote)) inMultiline = quote;
    if (!startsWith(target, full)) continue;
    if (full.length === target.length) return { line: i + 1, column: valueStart + 1, exact: true };
    const inner = locateInline(line, valueStart, target.slice(full.length));
    if (inner !== undefined) return { line: i + 1, column: inner + 1, exact: true };
    consider(full.length, { line: i + 1, column: valueStart + 1 });
  }
  if (!best) return undefined;
  return { ...best.pos, exact: best.depth === target.length };
}
