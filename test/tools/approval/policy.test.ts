import { describe, expect, it } from 'vitest';
import type { ApprovalPolicy, SandboxPolicy } from '../../../src/protocol/policy.js';
import { ApprovalCache } from '../../../src/tools/approval/cache.js';
import {
  escalationRefusal,
  judgesCommandBeforeRun,
  mayRetryWithoutSandbox,
  needsApprovalBeforeRun,
} from '../../../src/tools/approval/policy.js';
import { APPROVAL_PRESETS, findApprovalPreset } from '../../../src/tools/approval/presets.js';
import { assessCommand } from '../../../src/tools/command-safety/index.js';

const workspaceWrite: SandboxPolicy = {
  type: 'workspace-write',
  writableRoots: [],
  networkAccess: false,
  excludeTmpdirEnvVar: false,
  excludeSlashTmp: false,
};
const fullAccess: SandboxPolicy = { type: 'danger-full-access' };

function needs(
  policy: ApprovalPolicy,
  command: { knownSafe?: boolean; dangerous?: boolean; escalated?: boolean },
  sandboxPolicy = workspaceWrite,
) {
  return needsApprovalBeforeRun({
    policy,
    sandboxPolicy,
    escalated: command.escalated ?? false,
    knownSafe: command.knownSafe ?? false,
    dangerous: command.dangerous ?? false,
  });
}

describe('approval before the first run', () => {
  it('looks at the assessment exactly under the policies that say they judge the command', () => {
    const policies: ApprovalPolicy[] = ['untrusted', 'on-failure', 'on-request', 'never'];
    for (const policy of policies) {
      const answers = new Set<boolean>();
      for (const knownSafe of [false, true])
        for (const dangerous of [false, true])
          for (const sandbox of [workspaceWrite, fullAccess])
            answers.add(needs(policy, { knownSafe, dangerous }, sandbox));
      // A policy that does not judge the command must give one answer whatever the assessment says.
      expect(answers.size > 1, policy).toBe(judgesCommandBeforeRun(policy));
    }
  });

  it('untrusted asks for everything not known safe', () => {
    expect(needs('untrusted', { knownSafe: true })).toBe(false);
    expect(needs('untrusted', {})).toBe(true);
    expect(needs('untrusted', { dangerous: true })).toBe(true);
  });

  it('on-failure and never never ask first', () => {
    for (const policy of ['on-failure', 'never'] as const) {
      expect(needs(policy, {})).toBe(false);
      expect(needs(policy, { dangerous: true })).toBe(false);
      expect(needs(policy, { dangerous: true }, fullAccess)).toBe(false);
    }
  });

  it('on-request asks for escalation and dangerous commands only', () => {
    expect(needs('on-request', {})).toBe(false);
    expect(needs('on-request', { escalated: true })).toBe(true);
    expect(needs('on-request', { dangerous: true })).toBe(true);
  });

  it('on-request under danger-full-access asks only for dangerous commands', () => {
    expect(needs('on-request', { escalated: true }, fullAccess)).toBe(false);
    expect(needs('on-request', { dangerous: true }, fullAccess)).toBe(true);
  });
});

describe('escalation and retries', () => {
  it('refuses escalation outside on-request with an explanation for the model', () => {
    expect(escalationRefusal('on-request')).toBeNull();
    expect(escalationRefusal('never')).toBe(
      'approval policy is never; reject command — you should not ask for escalated permissions if the approval policy is never',
    );
    expect(escalationRefusal('untrusted')).toContain('approval policy is untrusted');
  });

  it('retries a sandbox denial only under on-failure and untrusted', () => {
    expect(mayRetryWithoutSandbox('on-failure')).toBe(true);
    expect(mayRetryWithoutSandbox('untrusted')).toBe(true);
    expect(mayRetryWithoutSandbox('on-request')).toBe(false);
    expect(mayRetryWithoutSandbox('never')).toBe(false);
  });
});

describe('presets', () => {
  it('pairs approval policies with sandbox modes', () => {
    expect(APPROVAL_PRESETS.map((p) => [p.id, p.approvalPolicy, p.sandboxMode])).toEqual([
      ['read-only', 'on-request', 'read-only'],
      ['auto', 'on-request', 'workspace-write'],
      ['full-access', 'never', 'danger-full-access'],
    ]);
    expect(findApprovalPreset('auto')?.label).toBe('Auto');
    expect(findApprovalPreset('yolo')).toBeUndefined();
  });
});

describe('session approval cache', () => {
  const bash = (script: string) => ['bash', '-lc', script];
  const scope = async (argv: string[], unsandboxed = false) => ({
    argv,
    assessment: await assessCommand(argv),
    unsandboxed,
  });

  it('approves a subcommand prefix for programs with subcommands', async () => {
    const cache = new ApprovalCache();
    cache.approveExec(await scope(bash('git commit -m "first"')));
    expect(cache.isExecApproved(await scope(bash('git commit -m "second" --no-verify')))).toBe(true);
    expect(cache.isExecApproved(await scope(['git', 'commit', '-am', 'third']))).toBe(true);
    expect(cache.isExecApproved(await scope(bash('git push')))).toBe(false);
  });

  it('keeps up to two subcommand words in the prefix', async () => {
    const cache = new ApprovalCache();
    expect(cache.describeScope(await scope(['npm', 'run', 'build', '--', '--watch']))).toEqual([
      'npm run build …',
    ]);
    cache.approveExec(await scope(['npm', 'run', 'build', '--', '--watch']));
    expect(cache.isExecApproved(await scope(['npm', 'run', 'build']))).toBe(true);
    expect(cache.isExecApproved(await scope(['npm', 'run', 'deploy']))).toBe(false);
    expect(cache.describeScope(await scope(['npm', 'test', '--', 'x']))).toEqual(['npm test …']);
  });

  it('approves other programs for their exact argv only', async () => {
    const cache = new ApprovalCache();
    cache.approveExec(await scope(['python3', 'build.py']));
    expect(cache.describeScope(await scope(['python3', 'build.py']))).toEqual(['python3 build.py']);
    expect(cache.isExecApproved(await scope(['python3', 'build.py']))).toBe(true);
    expect(cache.isExecApproved(await scope(['python3', 'other.py']))).toBe(false);
  });

  it('needs every unsafe command of a script covered, ignoring the known-safe ones', async () => {
    const cache = new ApprovalCache();
    cache.approveExec(await scope(bash('cd a && npm test && git add -A')));
    expect(cache.isExecApproved(await scope(bash('cd b && git add x && npm test -- --ci')))).toBe(true);
    expect(cache.isExecApproved(await scope(bash('npm test && curl example.com')))).toBe(false);
  });

  it('covers dangerous commands and non-plain scripts only by the identical argv', async () => {
    const cache = new ApprovalCache();
    cache.approveExec(await scope(['git', 'reset', '--hard']));
    expect(cache.isExecApproved(await scope(['git', 'reset', '--hard']))).toBe(true);
    expect(cache.isExecApproved(await scope(['git', 'reset', '--hard', 'HEAD~3']))).toBe(false);
    cache.approveExec(await scope(bash('npm test > log.txt')));
    expect(cache.isExecApproved(await scope(bash('npm test > log.txt')))).toBe(true);
    expect(cache.isExecApproved(await scope(bash('npm test > other.txt')))).toBe(false);
    expect(cache.isExecApproved(await scope(bash('npm test')))).toBe(false);
  });

  it('lets an unsandboxed approval cover sandboxed runs but not the reverse', async () => {
    const cache = new ApprovalCache();
    cache.approveExec(await scope(['make', 'install'], true));
    expect(cache.isExecApproved(await scope(['make', 'install'], false))).toBe(true);
    cache.approveExec(await scope(['cargo', 'build'], false));
    expect(cache.isExecApproved(await scope(['cargo', 'build'], true))).toBe(false);
  });

  it('covers a command made only of known-safe parts by its exact argv only', async () => {
    const cache = new ApprovalCache();
    expect(cache.isExecApproved(await scope(['cat', '/etc/shadow'], true))).toBe(false);
    cache.approveExec(await scope(['cat', 'a.txt'], true));
    expect(cache.describeScope(await scope(['cat', 'a.txt'], true))).toEqual(['cat a.txt']);
    expect(cache.isExecApproved(await scope(['cat', 'a.txt'], true))).toBe(true);
    expect(cache.isExecApproved(await scope(['cat', 'b.txt'], true))).toBe(false);
  });

  it('stores exact keys for approvals without a scope', () => {
    const cache = new ApprovalCache();
    const key = JSON.stringify({ patch: '*** Begin Patch', cwd: '/w' });
    expect(cache.isApproved(key)).toBe(false);
    cache.approve(key);
    expect(cache.isApproved(key)).toBe(true);
  });
});
