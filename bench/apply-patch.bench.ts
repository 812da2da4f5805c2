// apply_patch throughput: a 5,000-line file updated by one patch of 200 chunks (3 lines of context each
// side), applied end to end (parse, locate, diff for the events, write). Two variants: every chunk matches
// exactly, and every chunk only matches on the last fuzz level (the file has curly quotes and en dashes the
// patch spells in ASCII), the slowest path through the ladder.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyPatchText, preparePatch } from '../src/tools/apply-patch/apply.js';
import { parsePatch } from '../src/tools/apply-patch/parser.js';

const LINES = 5_000;
const HUNKS = 200;
const RUNS = 30;
// bench/run.mjs starts node with --expose-gc; collecting before each sample keeps GC pauses out of it.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

function fileLines(fancy: boolean): string[] {
  return Array.from({ length: LINES }, (_, i) =>
    fancy ? `  const v${i} = \u201cvalue \u2013 ${i}\u201d;` : `  const v${i} = "value - ${i}";`,
  );
}

function buildPatch(): string {
  const ascii = fileLines(false);
  const out = ['*** Begin Patch', '*** Update File: big.js'];
  const step = Math.floor(LINES / HUNKS);
  for (let h = 0; h < HUNKS; h++) {
    const target = h * step + Math.floor(step / 2);
    out.push(h % 2 === 0 ? '@@' : `@@ ${ascii[target - 4].trim()}`);
    for (let k = target - 3; k < target; k++) out.push(` ${ascii[k]}`);
    out.push(`-${ascii[target]}`, `+  const v${target} = "changed";`);
    for (let k = target + 1; k <= target + 3; k++) out.push(` ${ascii[k]}`);
  }
  out.push('*** End Patch');
  return out.join('\n');
}

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return `median ${median.toFixed(2)} ms, mean ${mean.toFixed(2)} ms, min ${sorted[0].toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`;
}

async function measure(
  label: string,
  run: () => Promise<unknown> | unknown,
  reset: () => void,
): Promise<void> {
  reset();
  await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    reset();
    collect();
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  console.log(`${label.padEnd(44)} ${stats(samples)}`);
}

const patch = buildPatch();
const dir = mkdtempSync(join(tmpdir(), 'conduit-bench-patch-'));
const file = join(dir, 'big.js');
try {
  console.log(
    `file: ${LINES} lines; patch: ${HUNKS} chunks, ${patch.split('\n').length} lines; ${RUNS} runs each`,
  );
  for (const fancy of [false, true]) {
    const original = `${fileLines(fancy).join('\n')}\n`;
    const reset = () => writeFileSync(file, original);
    const variant = fancy ? 'fuzz level 4' : 'exact';
    await measure('parse only', () => parsePatch(patch), reset);
    await measure(`parse + resolve in memory (${variant})`, () => preparePatch(patch, dir), reset);
    await measure(`full apply incl. write (${variant})`, () => applyPatchText(patch, dir), reset);
    reset();
    await applyPatchText(patch, dir);
    const changed = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"changed"')).length;
    if (changed !== HUNKS) throw new Error(`expected ${HUNKS} changed lines, got ${changed}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
