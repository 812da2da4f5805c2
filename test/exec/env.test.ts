import { describe, expect, it } from 'vitest';
import type { ShellEnvironmentPolicy } from '../../src/config/types.js';
import { createEnv, DEFAULT_SHELL_ENVIRONMENT_POLICY, envGlob } from '../../src/exec/env.js';
import type { SandboxPolicy } from '../../src/protocol/policy.js';
import { workspaceWrite } from '../sandbox/helpers.js';

const FULL: SandboxPolicy = { type: 'danger-full-access' };
const base = {
  PATH: '/usr/bin',
  HOME: '/root',
  OPENAI_API_KEY: 'sk-1',
  GITHUB_TOKEN: 't',
  my_secret_thing: 's',
  EDITOR: 'vi',
  LANG: 'C.UTF-8',
};
const policy = (p: Partial<ShellEnvironmentPolicy>): ShellEnvironmentPolicy => ({
  ...DEFAULT_SHELL_ENVIRONMENT_POLICY,
  ...p,
});

describe('createEnv', () => {
  it('inherits all but the default credential excludes (case-insensitive)', () => {
    expect(createEnv(DEFAULT_SHELL_ENVIRONMENT_POLICY, FULL, base)).toEqual({
      PATH: '/usr/bin',
      HOME: '/root',
      EDITOR: 'vi',
      LANG: 'C.UTF-8',
    });
  });

  it('core keeps only the core variables; none keeps nothing', () => {
    expect(createEnv(policy({ inherit: 'core' }), FULL, base)).toEqual({ PATH: '/usr/bin', HOME: '/root' });
    expect(createEnv(policy({ inherit: 'none' }), FULL, base)).toEqual({});
  });

  it('ignore_default_excludes keeps credentials; exclude globs drop names', () => {
    const env = createEnv(policy({ ignoreDefaultExcludes: true, exclude: ['ed?tor', 'L*'] }), FULL, base);
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/root',
      OPENAI_API_KEY: 'sk-1',
      GITHUB_TOKEN: 't',
      my_secret_thing: 's',
    });
  });

  it('applies set after excludes and include_only last (it can drop set variables)', () => {
    const env = createEnv(
      policy({ set: { API_TOKEN: 'kept', FOO: 'bar' }, includeOnly: ['path', '*token'] }),
      FULL,
      base,
    );
    expect(env).toEqual({ PATH: '/usr/bin', API_TOKEN: 'kept' });
  });

  it('marks network-less policies, never danger-full-access', () => {
    const none = policy({ inherit: 'none' });
    const off = { CONDUIT_SANDBOX_NETWORK_DISABLED: '1', CODEX_SANDBOX_NETWORK_DISABLED: '1' };
    expect(createEnv(none, { type: 'read-only' }, base)).toEqual(off);
    expect(createEnv(none, workspaceWrite({ networkAccess: false }), base)).toEqual(off);
    expect(createEnv(none, workspaceWrite({ networkAccess: true }), base)).toEqual({});
    expect(createEnv(none, FULL, base)).toEqual({});
  });
});

describe('envGlob', () => {
  it('matches * and ? case-insensitively and escapes regex characters', () => {
    expect(envGlob('*KEY*')('openai_api_key')).toBe(true);
    expect(envGlob('A?C')('abc')).toBe(true);
    expect(envGlob('A?C')('abbc')).toBe(false);
    expect(envGlob('A.B')('AXB')).toBe(false);
    expect(envGlob('A.B')('A.B')).toBe(true);
  });
});
