// apply_patch: the patch format, its lenient parser, the forgiving applier and its safety rules.

export { applyPatchText, preparePatch, summaryText } from './apply.js';
export { commitPlan } from './commit.js';
export { PatchApplyError, PatchParseError } from './errors.js';
export { APPLY_PATCH_LARK_GRAMMAR } from './grammar.js';
export { parsePatch } from './parser.js';
export { isWritablePath, realPathOf, writableRootsFor } from './path-safety.js';
export type { PatchFileReader, PatchPlan, PatchSummary, PlannedFile } from './plan.js';
export { assessPatchSafety, type PatchSafety } from './safety.js';
export { normalisePunctuation, seekSequence } from './seek-sequence.js';
export { extractApplyPatchFromArgv, type ShellPatch } from './shell-detect.js';
export { type ApplyPatchToolType, applyPatchToolSpec, applyPatchToolTypeFor } from './spec.js';
export { TurnDiffTracker } from './turn-diff-tracker.js';
export type { ParsedPatch, PatchHunk, UpdateChunk } from './types.js';
