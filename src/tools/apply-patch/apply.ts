// The patch pipeline without any policy: parse, resolve in memory, write. The tool handler wraps this
// with approval and events; benches and other callers that have already decided may use it directly.

import { commitPlan } from './commit.js';
import { parsePatch } from './parser.js';
import { type PatchFileReader, type PatchPlan, type PatchSummary, planPatch } from './plan.js';

/** Parses the patch and resolves every hunk against the files under `cwd`; touches nothing on disk. */
export async function preparePatch(
  patchText: string,
  cwd: string,
  read?: PatchFileReader,
): Promise<PatchPlan> {
  return planPatch(parsePatch(patchText), cwd, read);
}

/** Applies a patch all or nothing and returns the success text the model is sent. */
export async function applyPatchText(patchText: string, cwd: string): Promise<string> {
  const plan = await preparePatch(patchText, cwd);
  await commitPlan(plan.files.values());
  return summaryText(plan.summary);
}

export function summaryText(summary: PatchSummary): string {
  const lines = [
    ...summary.added.map((p) => `A ${p}`),
    ...summary.modified.map((p) => `M ${p}`),
    ...summary.deleted.map((p) => `D ${p}`),
  ];
  return `Success. Updated the following files:\n${lines.map((l) => `${l}\n`).join('')}`;
}
