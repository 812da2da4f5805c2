// The finished items of a conversation as the terminal shows them. A cell is printed once into the
// scrollback and never changes, so it holds only what its rendering needs (long output already folded).

import type { FileChange, PlanItem } from '../../../index.js';

export type Cell = { id: number } & CellBody;

export type CellBody =
  | { kind: 'header'; model: string; cwd: string; sessionId: string; resumed: boolean; version: string }
  | { kind: 'user'; text: string }
  | { kind: 'answer'; markdown: string }
  | { kind: 'reasoning'; text: string }
  | {
      kind: 'exec';
      command: string;
      /** Undefined when the run was interrupted. */
      exitCode?: number;
      durationMs: number;
      /** Folded output: head and tail, with `hidden` lines left out at `hiddenAt`. */
      output: string[];
      hidden: number;
      hiddenAt: number;
      /** A `!cmd` the user ran, not the agent. */
      byUser?: boolean;
    }
  | {
      kind: 'patch';
      changes: Record<string, FileChange>;
      success: boolean;
      autoApproved: boolean;
      message?: string;
    }
  | {
      kind: 'mcp';
      server: string;
      tool: string;
      args: string;
      ok: boolean;
      result: string;
      durationMs: number;
    }
  | { kind: 'plan'; explanation?: string; plan: PlanItem[] }
  | { kind: 'decision'; text: string; approved: boolean }
  | { kind: 'diff'; title: string; diff: string }
  | { kind: 'changes'; title: string; changes: Record<string, FileChange> }
  | { kind: 'info'; title?: string; lines: string[] }
  | { kind: 'warning'; text: string }
  | { kind: 'error'; text: string };
