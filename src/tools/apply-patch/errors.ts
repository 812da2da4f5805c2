// Errors of the patch pipeline. Their messages go to the model as-is, so they say what is wrong and where.

/** The patch text does not follow the grammar; `line` is 1-based in the text the model sent. */
export class PatchParseError extends Error {
  override name = 'PatchParseError';
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`invalid patch at line ${line}: ${reason}`);
  }
}

/** The patch parses but cannot be applied to the files as they are (missing file, context not found…). */
export class PatchApplyError extends Error {
  override name = 'PatchApplyError';
}
