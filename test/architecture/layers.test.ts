// Keeps the architecture true without anyone remembering it: walks every import in src/ (static, dynamic
// and type-only) and fails on an import that goes up a layer, an import cycle, or a front end reaching past
// src/index.ts. The layers (docs/architecture.md), each importing only from those below it:
//
//   front ends   cli/ (exec, mcp-server, the terminal UI, acp…), runner/   — only src/index.ts
//   index.ts     the public API
//   session/
//   tools/
//   sandbox/     (runs commands through exec/)
//   exec/  mcp/  providers/
//   config/
//   protocol/    imports nothing of the project
//
// A front end may also import the door (index.ts) of another front-end folder: `conduit runner` in cli/
// starts the server that runner/index.ts exports. A new top-level folder must be placed here first.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

/** Rank of each top-level folder of src/ (a higher rank may import a lower one, never the reverse). */
const RANK: Record<string, number> = {
  protocol: 0,
  config: 1,
  exec: 2,
  mcp: 2,
  providers: 2,
  sandbox: 3,
  tools: 4,
  session: 5,
  'index.ts': 6,
};
/** Front-end folders: each imports only itself, src/index.ts and other front ends' index.ts. */
const FRONT_ENDS = ['cli', 'runner'];

interface Module {
  file: string;
  imports: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') || path.endsWith('.tsx') ? [path] : [];
  });
}

/** The project files a module imports, as paths relative to src/ (`session/index.ts`). */
function projectImports(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      // `./app.js` is app.ts or, for the terminal UI's components, app.tsx.
      const ts = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      return relative(SRC, existsSync(ts) || !existsSync(`${ts}x`) ? ts : `${ts}x`);
    });
}

const modules: Module[] = sourceFiles(SRC).map((path) => ({
  file: relative(SRC, path),
  imports: projectImports(path),
}));

const top = (file: string) => file.split('/')[0];

/** Why `from` may not import `to`, or undefined when it may. */
function violation(from: string, to: string): string | undefined {
  const a = top(from);
  const b = top(to);
  if (to.startsWith('..')) return 'imports from outside src/';
  if (FRONT_ENDS.includes(a)) {
    if (a === b || to === 'index.ts') return undefined;
    if (FRONT_ENDS.includes(b) && to === `${b}/index.ts`) return undefined;
    return 'a front end imports the core only through src/index.ts';
  }
  if (FRONT_ENDS.includes(b)) return 'the core imports a front end';
  if (!(a in RANK)) return `src/${a} has no layer: add it to RANK in test/architecture/layers.test.ts`;
  if (!(b in RANK)) return `src/${b} has no layer: add it to RANK in test/architecture/layers.test.ts`;
  if (a === b) return undefined;
  if (RANK[b] >= RANK[a]) return `${a} may not import ${b} (same or higher layer)`;
  return undefined;
}

function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === 'active') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('the layers of src/', () => {
  it('finds the modules and their imports', () => {
    expect(modules.length).toBeGreaterThan(100);
    const index = modules.find((m) => m.file === 'index.ts');
    expect(index?.imports).toContain('session/index.ts');
  });

  it('has no upward import and no front end bypassing src/index.ts', () => {
    const problems = modules.flatMap(({ file, imports }) =>
      imports.flatMap((to) => {
        const why = violation(file, to);
        return why ? [`${file} → ${to}: ${why}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('has no import cycle', () => {
    const graph = new Map(modules.map((m) => [m.file, m.imports]));
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('rejects what the rules forbid', () => {
    expect(violation('cli/exec.ts', 'session/index.ts')).toMatch(/only through src\/index.ts/);
    expect(violation('cli/tui/app.ts', 'protocol/events.ts')).toMatch(/only through src\/index.ts/);
    expect(violation('runner/server.ts', 'mcp/manager.ts')).toMatch(/only through src\/index.ts/);
    expect(violation('cli/runner.ts', 'runner/server.ts')).toMatch(/only through src\/index.ts/);
    expect(violation('cli/runner.ts', 'runner/index.ts')).toBeUndefined();
    expect(violation('cli/acp/agent.ts', 'index.ts')).toBeUndefined();
    expect(violation('session/session.ts', 'index.ts')).toMatch(/same or higher/);
    expect(violation('mcp/types.ts', 'providers/types.ts')).toMatch(/same or higher/);
    expect(violation('protocol/events.ts', 'config/types.ts')).toMatch(/same or higher/);
    expect(violation('tools/registry.ts', 'cli/exec.ts')).toMatch(/imports a front end/);
    expect(violation('newthing/a.ts', 'protocol/events.ts')).toMatch(/has no layer/);
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c', 'a']]);
  });
});
