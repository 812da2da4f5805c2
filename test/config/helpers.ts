import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadConfigOptions, loadConfig } from '../../src/config/load.js';

/** A fresh Conduit home holding `toml` as config.toml (or no file when undefined), and a cwd beside it. */
export function makeHome(toml?: string): { home: string; cwd: string } {
  const root = mkdtempSync(join(tmpdir(), 'conduit-config-'));
  const home = join(root, 'home');
  const cwd = join(root, 'work');
  mkdirSync(home);
  mkdirSync(cwd);
  if (toml !== undefined) writeFileSync(join(home, 'config.toml'), toml);
  return { home, cwd };
}

export function load(toml: string | undefined, options: LoadConfigOptions = {}) {
  const { home, cwd } = makeHome(toml);
  return loadConfig({ conduitHome: home, cwd, env: {}, ...options });
}

/** The message of the error `promise` rejects with. */
export async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the promise to reject');
}
