// What `conduit exec` checks before it spends a token: where `-o` will write, and which session `resume`
// continues. Each failure is a UserError (exit 2) naming the flag and the path or id.

import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Config, findLatestRollout, findRolloutsByIdPrefix, UserError } from '../index.js';

/** `-o FILE` must be writable now: finding out after the turn would lose the answer. */
export function checkOutputFile(path: string, baseDir: string = process.cwd()): void {
  const abs = resolve(baseDir, path);
  const dir = dirname(abs);
  if (!existsSync(dir)) throw new UserError(`-o ${path}: directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UserError(`-o ${path}: ${dir} is not a directory`);
  if (existsSync(abs) && statSync(abs).isDirectory())
    throw new UserError(`-o ${path}: ${abs} is a directory`);
  try {
    accessSync(existsSync(abs) ? abs : dir, constants.W_OK);
  } catch {
    throw new UserError(`-o ${path}: ${existsSync(abs) ? abs : dir} is not writable`);
  }
}

export interface ResumeTarget {
  id?: string;
  last?: boolean;
}

/**
 * The rollout to continue. An id (or a unique prefix of one) that names no saved session is refused, as
 * silently starting a new one would run the prompt without the context the caller meant to give it.
 * `--last` with no earlier session starts a new one, as `codex exec resume --last` does.
 */
export function resolveResume(
  config: Config,
  target: ResumeTarget | undefined,
  warn: (message: string) => void,
): string | undefined {
  if (!target) return undefined;
  if (target.last) {
    const path = findLatestRollout(config.conduitHome, config.modelProviderId);
    if (!path) warn(`no earlier session for provider ${config.modelProviderId}; starting a new one`);
    return path;
  }
  const id = target.id?.trim();
  if (!id) throw new UserError('exec resume: give a session id, or --last for the most recent session');
  const matches = findRolloutsByIdPrefix(config.conduitHome, id);
  if (matches.length === 1) return matches[0].path;
  if (matches.length === 0) {
    throw new UserError(
      `exec resume ${id}: no saved session has this id (sessions are under ${config.conduitHome}/sessions; \`conduit exec resume --last\` takes the most recent)`,
    );
  }
  const shown = matches.slice(0, 5).map((m) => m.id);
  throw new UserError(
    `exec resume ${id}: the prefix matches ${matches.length} sessions (${shown.join(', ')}${matches.length > shown.length ? ', …' : ''}); give more of the id`,
  );
}
