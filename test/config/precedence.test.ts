import { describe, expect, it } from 'vitest';
import { errorOf, load } from './helpers.js';

const FILE = `
model = "file-model"
model_reasoning_effort = "low"
sandbox_mode = "read-only"

[profiles.fast]
model = "profile-model"
approval_policy = "never"

[profiles.other]
model_reasoning_effort = "high"
`;

describe('layering: file < -c < profile < flags < defaults', () => {
  it('uses built-in defaults when nothing is set', async () => {
    const { config, sources } = await load(undefined);
    expect(config.model).toBe('gpt-5-codex');
    expect(config.modelProviderId).toBe('openai');
    expect(config.approvalPolicy).toBe('on-request');
    expect(config.sandboxPolicy).toEqual({ type: 'read-only' });
    expect(config.modelReasoningSummary).toBe('auto');
    expect(config.projectDocMaxBytes).toBe(32768);
    expect(sources.model).toBe('default');
  });

  it('reads the file and records file:line:col as the source', async () => {
    const { config, sources } = await load(FILE);
    expect(config.model).toBe('file-model');
    expect(sources.model).toMatch(/config\.toml:2:9$/);
    expect(config.modelReasoningEffort).toBe('low');
  });

  it('-c beats the file', async () => {
    const { config, sources } = await load(FILE, { cliOverrides: ['model=cli-model'] });
    expect(config.model).toBe('cli-model');
    expect(sources.model).toBe('-c model=cli-model');
  });

  it('a profile key beats a top-level -c (overrides apply before profile selection)', async () => {
    const { config, sources } = await load(FILE, { cliOverrides: ['model=cli-model'], profile: 'fast' });
    expect(config.model).toBe('profile-model');
    expect(sources.model).toMatch(/^profile fast \(.*config\.toml:7:9\)$/);
    expect(config.approvalPolicy).toBe('never');
  });

  it('-c can select the profile and can change a key inside it', async () => {
    const { config } = await load(FILE, { cliOverrides: ['profile=fast', 'profiles.fast.model=patched'] });
    expect(config.profile).toBe('fast');
    expect(config.model).toBe('patched');
  });

  it('--profile beats profile = in the file', async () => {
    const { config } = await load(`profile = "fast"\n${FILE}`, { profile: 'other' });
    expect(config.profile).toBe('other');
    expect(config.model).toBe('file-model');
    expect(config.modelReasoningEffort).toBe('high');
  });

  it('dedicated flags beat the profile', async () => {
    const { config, sources } = await load(FILE, {
      profile: 'fast',
      overrides: { model: 'flag-model', approvalPolicy: 'untrusted', sandboxMode: 'workspace-write' },
    });
    expect(config.model).toBe('flag-model');
    expect(sources.model).toBe('--model');
    expect(config.approvalPolicy).toBe('untrusted');
    expect(config.sandboxPolicy.type).toBe('workspace-write');
  });

  it('keys that are not profile-scoped stay top-level', async () => {
    const { config } = await load(`model_context_window = 5000\n[profiles.p]\nmodel = "x"\n`, {
      profile: 'p',
    });
    expect(config.modelContextWindow).toBe(5000);
  });

  it('a missing profile is an error naming the profiles that exist', async () => {
    expect(await errorOf(load(FILE, { profile: 'nope' }))).toMatch(
      /^--profile nope: no profile "nope" in \/.*\/config\.toml \(profiles: fast, other\)$/,
    );
    expect(await errorOf(load(FILE, { profile: 'fats' }))).toMatch(
      /\(profiles: fast, other; did you mean fast\?\)$/,
    );
    expect(await errorOf(load(undefined, { profile: 'fast' }))).toMatch(
      /^--profile fast: no profile "fast" in \/.*\/config\.toml, which does not exist$/,
    );
    expect(await errorOf(load('model = "m"\n', { profile: 'fast' }))).toMatch(
      /config\.toml \(it has no \[profiles\.<name>\] tables\)$/,
    );
  });

  it('trusted and untrusted projects change the sandbox and approval defaults', async () => {
    const trusted = await load(undefined, { cliOverrides: [] });
    expect(trusted.config.sandboxMode).toBe('read-only');
    const { config } = await load('', {});
    const cwd = config.cwd;
    const t = await load(`[projects."${cwd}"]\ntrust_level = "trusted"\n`, { cwd });
    expect(t.config.sandboxMode).toBe('workspace-write');
    expect(t.config.approvalPolicy).toBe('on-request');
    const u = await load(`[projects."${cwd}"]\ntrust_level = "untrusted"\n`, { cwd });
    expect(u.config.sandboxMode).toBe('workspace-write');
    expect(u.config.approvalPolicy).toBe('untrusted');
  });

  it('workspace-write gathers writable roots and --add-dir without duplicates', async () => {
    const { config } = await load(
      'sandbox_mode = "workspace-write"\n[sandbox_workspace_write]\nwritable_roots = ["/tmp"]\nnetwork_access = true\n',
      { overrides: { addDirs: ['/tmp', '/var'] } },
    );
    expect(config.sandboxPolicy).toEqual({
      type: 'workspace-write',
      writableRoots: ['/tmp', '/var'],
      networkAccess: true,
      excludeTmpdirEnvVar: false,
      excludeSlashTmp: false,
    });
  });
});
