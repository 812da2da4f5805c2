// Operations a front end submits to a session. Every front end (exec, the MCP server, a TUI) drives the
// agent only through these; field names are snake_case because they are wire shapes.

import type { JsonSchema } from './models.js';
import type {
  ApprovalPolicy,
  ReasoningEffort,
  ReasoningSummary,
  ReviewDecision,
  SandboxPolicy,
} from './policy.js';

export type UserInputItem =
  | { type: 'text'; text: string }
  /** A data: or http(s) URL, sent as-is. */
  | { type: 'image'; image_url: string }
  /** A file on disk, read and sent as a data URL. */
  | { type: 'local_image'; path: string };

/** Turn settings that can change mid-session. Absent = keep; `effort: null` clears the effort. */
export interface TurnContextOverrides {
  cwd?: string;
  approval_policy?: ApprovalPolicy;
  sandbox_policy?: SandboxPolicy;
  model?: string;
  /** A key of `model_providers` (or a built-in id); the client is rebuilt for it. */
  model_provider?: string;
  effort?: ReasoningEffort | null;
  summary?: ReasoningSummary;
}

export type Op =
  | { type: 'user_input'; items: UserInputItem[] }
  | ({
      type: 'user_turn';
      items: UserInputItem[];
      /** JSON schema the final answer must follow (`--output-schema`); this turn only. */
      final_output_json_schema?: JsonSchema;
    } & TurnContextOverrides)
  | ({ type: 'override_turn_context' } & TurnContextOverrides)
  | { type: 'interrupt' }
  /** `id` is the `call_id` of the approval request being answered. */
  | { type: 'exec_approval'; id: string; decision: ReviewDecision }
  | { type: 'patch_approval'; id: string; decision: ReviewDecision }
  /** The answer to an `elicitation_request` event (`id` is its id); `content` holds the form's values. */
  | {
      type: 'elicitation_response';
      id: string;
      action: 'accept' | 'decline' | 'cancel';
      content?: Record<string, string | number | boolean | string[]>;
    }
  | { type: 'compact' }
  | { type: 'shutdown' };

export interface Submission {
  id: string;
  op: Op;
}
