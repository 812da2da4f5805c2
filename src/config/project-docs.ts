// AGENTS.md discovery: a global file in the Conduit home, then one file per directory from the git root
// down to the cwd, read in that order under one shared byte budget.

import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PROJECT_DOC_SEPARATOR = '--- project-doc ---';
const PRIMARY_NAMES = ['AGENTS.override.md', 'AGENTS.md'];

export interface ProjectDocOptions {
  cwd: string;
  conduitHome: string;
  maxBytes: number;
  fallbackFilenames?: string[];
}

function readIfPresent(path: string): string | undefined {
  try {
    const stat = lstatSync(path);
    if (!stat.isFile() && !stat.isSymbolicLink()) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Directories from the nearest ancestor holding `.git` down to `cwd`; just `cwd` outside a repository. */
export function projectDocDirectories(cwd: string): string[] {
  const start = realpathSync(cwd);
  const chain: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    chain.push(dir);
    if (existsSync(join(dir, '.git'))) return chain.reverse();
    if (dirname(dir) === dir) return [start];
  }
}

function globalDoc(conduitHome: string): string | undefined {
  for (const name of PRIMARY_NAMES) {
    const text = readIfPresent(join(conduitHome, name))?.trim();
    if (text) return text;
  }
  return undefined;
}

/** Cuts `text` to at most `budget` UTF-8 bytes without splitting a character. */
function takeBytes(text: string, budget: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= budget) return text;
  let end = budget;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

export function loadProjectDocs(options: ProjectDocOptions): string | undefined {
  const names = [...PRIMARY_NAMES, ...(options.fallbackFilenames ?? [])];
  const parts: string[] = [];
  let budget = options.maxBytes;
  if (budget > 0) {
    for (const dir of projectDocDirectories(options.cwd)) {
      if (budget <= 0) break;
      const text = names.map((name) => readIfPresent(join(dir, name))).find((t) => t !== undefined);
      if (text === undefined || !text.trim()) continue;
      const taken = takeBytes(text, budget);
      budget -= Buffer.byteLength(taken, 'utf8');
      parts.push(taken);
      if (taken.length < text.length) break;
    }
  }
  const global = globalDoc(options.conduitHome);
  const project = parts.length ? parts.join('\n\n') : undefined;
  if (global && project) return `${global}\n\n${PROJECT_DOC_SEPARATOR}\n\n${project}`;
  return global ?? project;
}

/** How the docs message starts; compaction keeps the message that starts with it (session/compact.ts). */
export const PROJECT_DOCS_MARKER = '# AGENTS.md instructions for ';

/** The user message that carries the docs to the model. */
export function formatProjectDocsMessage(cwd: string, docs: string): string {
  return `${PROJECT_DOCS_MARKER}${cwd}\n\n<INSTRUCTIONS>\n${docs}\n</INSTRUCTIONS>`;
}
