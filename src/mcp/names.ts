// Qualified tool names: the model sees every MCP tool as `<server>__<tool>`. Function names on both wires
// must match `^[A-Za-z0-9_-]{1,64}$`, and the same set of tools must always get the same names (stable
// prompts cache better), so the mapping depends only on the set of (server, tool) pairs, never on the
// order in which servers answered.

import { createHash } from 'node:crypto';

export const QUALIFIED_NAME_DELIMITER = '__';
export const MAX_TOOL_NAME_LENGTH = 64;
const SHA1_HEX_LENGTH = 40;
const HASHED_PREFIX_LENGTH = MAX_TOOL_NAME_LENGTH - SHA1_HEX_LENGTH;

export interface ToolRef {
  server: string;
  tool: string;
}

export interface QualifiedTool extends ToolRef {
  qualifiedName: string;
}

export interface QualifyResult {
  /** Sorted by qualified name. */
  tools: QualifiedTool[];
  /** Tools that could not get a unique name (practically never: it takes a SHA-1 collision). */
  skipped: { ref: ToolRef; reason: string }[];
}

export function sanitizeToolName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** A name that fits the limit: the sanitised name itself, or its first 24 characters + the SHA-1 of `hashInput`. */
function fitName(sanitized: string, hashInput: string, force: boolean): string {
  if (!force && sanitized.length <= MAX_TOOL_NAME_LENGTH) return sanitized;
  return sanitized.slice(0, HASHED_PREFIX_LENGTH) + sha1Hex(hashInput);
}

/**
 * Gives every (server, tool) a unique model-facing name. Pairs are processed in (server, tool) order so
 * the first of two colliding pairs keeps the plain name and the later one falls back to the hashed form
 * (hashing the pair with an unambiguous separator, since `a__b`+`c` and `a`+`b__c` read the same).
 */
export function qualifyToolNames(refs: readonly ToolRef[]): QualifyResult {
  const ordered = [...refs].sort((a, b) => compare(a.server, b.server) || compare(a.tool, b.tool));
  const taken = new Set<string>();
  const tools: QualifiedTool[] = [];
  const skipped: QualifyResult['skipped'] = [];
  for (const ref of ordered) {
    const full = `${ref.server}${QUALIFIED_NAME_DELIMITER}${ref.tool}`;
    const sanitized = sanitizeToolName(full);
    let name = fitName(sanitized, full, false);
    if (taken.has(name)) name = fitName(sanitized, `${ref.server}\u0000${ref.tool}`, true);
    if (taken.has(name)) {
      skipped.push({ ref, reason: `its name collides with another tool's (${name})` });
      continue;
    }
    taken.add(name);
    tools.push({ ...ref, qualifiedName: name });
  }
  tools.sort((a, b) => compare(a.qualifiedName, b.qualifiedName));
  return { tools, skipped };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
