// Shared test setup: a real config loaded from a temporary CONDUIT_HOME, pointed at the fake model server.

import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';

export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** A Config for a fresh home using a `fake` Responses (or Chat) provider at `baseUrl`. */
export async function fakeConfig(
  baseUrl: string,
  opts: { wire?: 'responses' | 'chat'; extra?: string; overrides?: string[]; cwd?: string } = {},
): Promise<Config> {
  const home = tempDir('conduit-home-');
  writeFileSync(
    join(home, 'config.toml'),
    [
      'model = "fake-model"',
      'model_provider = "fake"',
      'approval_policy = "never"',
      'sandbox_mode = "danger-full-access"',
      // Top-level keys must come before the first table.
      opts.extra ?? '',
      '[model_providers.fake]',
      'name = "Fake"',
      `base_url = "${baseUrl}"`,
      `wire_api = "${opts.wire ?? 'responses'}"`,
      'request_max_retries = 0',
      'stream_max_retries = 2',
    ].join('\n'),
  );
  const { config } = await loadConfig({
    conduitHome: home,
    cwd: opts.cwd ?? tempDir('conduit-cwd-'),
    cliOverrides: opts.overrides ?? [],
    env: {},
  });
  return config;
}
