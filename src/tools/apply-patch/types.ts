// The parsed form of a `*** Begin Patch` document: what the parser produces and the applier consumes.

export interface UpdateChunk {
  /** The `@@ <context>` line to seek before the chunk's lines, if any. */
  changeContext?: string;
  oldLines: string[];
  newLines: string[];
  /** `*** End of File`: the chunk's old lines should match at the end of the file. */
  isEndOfFile: boolean;
}

export type PatchHunk =
  | { type: 'add'; path: string; contents: string }
  | { type: 'delete'; path: string }
  | { type: 'update'; path: string; movePath?: string; chunks: UpdateChunk[] };

export interface ParsedPatch {
  hunks: PatchHunk[];
}
