// The approval policy `conduit exec` runs under, shared with `conduit config show` so both say the same:
// nobody can answer an approval in exec, so `never` unless the user chose a policy themselves (then
// requests are denied with a warning rather than waiting forever).

import type { ApprovalPolicy, LoadedConfig } from '../index.js';

export function execApprovalPolicy(loaded: Pick<LoadedConfig, 'config' | 'sources'>): {
  policy: ApprovalPolicy;
  source: string;
} {
  const source = loaded.sources.approval_policy ?? 'default';
  if (!source.startsWith('default')) return { policy: loaded.config.approvalPolicy, source };
  return { policy: 'never', source: 'conduit exec default (no one can approve)' };
}
