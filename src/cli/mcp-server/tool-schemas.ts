// The two tools the server offers, each defined once in zod: the same definition validates a call's
// arguments and generates the JSON schema `tools/list` advertises. Names and kebab-case property names
// follow Codex's `codex mcp-server`, so MCP client configurations written for Codex work unchanged.

import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { APPROVAL_POLICIES, type ApprovalPolicy, SANDBOX_MODES, type SandboxMode } from '../../index.js';

export const CODEX_TOOL = 'codex';
export const CODEX_REPLY_TOOL = 'codex-reply';

export const codexArgs = z.strictObject({
  prompt: z.string().min(1).describe('The initial user prompt that starts the conversation.'),
  model: z.string().optional().describe('Model to use, e.g. "gpt-5-codex" (overrides config.toml).'),
  profile: z.string().optional().describe('A [profiles.<name>] table of config.toml to apply.'),
  cwd: z
    .string()
    .optional()
    .describe("Working directory of the session; a relative path is resolved against the server's cwd."),
  'approval-policy': z
    .enum(APPROVAL_POLICIES as [ApprovalPolicy, ...ApprovalPolicy[]])
    .optional()
    .describe('When shell commands need approval: untrusted, on-failure, on-request or never.'),
  sandbox: z
    .enum(SANDBOX_MODES as [SandboxMode, ...SandboxMode[]])
    .optional()
    .describe('Sandbox mode: read-only, workspace-write or danger-full-access.'),
  config: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('config.toml overrides, as for `-c`: {"model_reasoning_effort": "high", "a.b": 1}.'),
  'base-instructions': z.string().optional().describe('Replaces the built-in instructions.'),
  'developer-instructions': z.string().optional().describe('Developer message added to the conversation.'),
  'compact-prompt': z.string().optional().describe('Prompt used when the conversation is compacted.'),
});
export type CodexArgs = z.infer<typeof codexArgs>;

const codexReplyFields = z.strictObject({
  threadId: z.string().min(1).optional().describe('The thread to continue (structuredContent.threadId).'),
  conversationId: z.string().min(1).optional().describe('Deprecated alias of threadId.'),
  prompt: z.string().min(1).describe('The next user prompt.'),
});

export const codexReplyArgs = codexReplyFields.refine(
  (args) => args.threadId !== undefined || args.conversationId !== undefined,
  { message: 'threadId is required (or its deprecated alias conversationId)', path: ['threadId'] },
);
export type CodexReplyArgs = z.infer<typeof codexReplyArgs>;

/** What every successful call returns as structuredContent. */
export const toolResult = z.object({
  threadId: z.string().describe('Pass to codex-reply to continue this conversation.'),
  content: z.string().describe("The agent's last message of the turn."),
});

type JsonObjectSchema = Tool['inputSchema'];

function objectSchema(schema: z.ZodType): JsonObjectSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest as JsonObjectSchema;
}

export function toolDefinitions(): Tool[] {
  const outputSchema = objectSchema(toolResult);
  return [
    {
      name: CODEX_TOOL,
      title: 'Conduit',
      description:
        'Run a coding-agent session: the agent works on the prompt (running sandboxed commands and editing files, asking for approval when its policy says so) and returns its final message and a threadId to continue with codex-reply.',
      inputSchema: objectSchema(codexArgs),
      outputSchema,
    },
    {
      name: CODEX_REPLY_TOOL,
      title: 'Conduit Reply',
      description: 'Continue a conversation started by the codex tool, by its threadId.',
      inputSchema: objectSchema(codexReplyFields),
      outputSchema,
    },
  ];
}

/** A readable one-line account of why arguments were refused: each issue with the argument it concerns. */
export function describeIssues(tool: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'arguments';
    return `${where}: ${issue.message}`;
  });
  return `invalid arguments for ${tool}: ${issues.join('; ')}`;
}
