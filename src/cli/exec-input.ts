// What `conduit exec` sends as the first message: the prompt argument, or all of stdin when the argument is
// absent or `-` (stdin is never touched when a prompt is given, so CI jobs without </dev/null don't hang),
// plus `-i` images. Also reads `--output-schema`.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type JsonSchema, UserError, type UserInputItem } from '../index.js';

export async function readPrompt(
  arg: string | undefined,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  if (arg !== undefined && arg !== '-') return arg;
  if (stdin.isTTY) {
    throw new UserError(
      'no prompt given: pass the prompt as an argument, or pipe it on stdin (use "-" to read stdin)',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new UserError('no prompt given: stdin was empty');
  return text;
}

/** `-i a.png,b.png -i c.png` → local image parts, paths resolved against the cwd the user typed them in. */
export function imageItems(values: readonly string[], baseDir: string = process.cwd()): UserInputItem[] {
  return values
    .flatMap((value) => value.split(','))
    .map((path) => path.trim())
    .filter(Boolean)
    .map((path) => {
      const abs = resolve(baseDir, path);
      if (!existsSync(abs)) throw new UserError(`--image ${path}: no such file`);
      return { type: 'local_image', path: abs };
    });
}

export function readOutputSchema(path: string): JsonSchema {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`--output-schema ${path}: cannot read it: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`--output-schema ${path}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`--output-schema ${path}: expected a JSON object (a JSON Schema)`);
  }
  return value as JsonSchema;
}

/** True when `dir` or an ancestor holds `.git` (a directory, or a file for worktrees and submodules). */
export function insideGitRepo(dir: string): boolean {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return true;
    if (dirname(current) === current) return false;
  }
}
