// What the model sees of the shell tools (names, descriptions, JSON schemas) and the argument schemas
// their handlers validate against.

import * as z from '../../config/zod-mini.js';
import type { JsonSchema, ToolSpec } from '../../protocol/models.js';
import { parseJsonArguments, ToolInputError } from '../arguments.js';
import type { ToolCall } from '../types.js';

const escalationProperties: Record<string, JsonSchema> = {
  with_escalated_permissions: {
    type: 'boolean',
    description:
      'Whether to request escalated permissions. Set to true if the command needs to run without sandbox restrictions.',
  },
  justification: {
    type: 'string',
    description: 'Only set if with_escalated_permissions is true: one sentence on why the command needs it.',
  },
};

const commonProperties: Record<string, JsonSchema> = {
  workdir: { type: 'string', description: 'The working directory to run the command in.' },
  timeout_ms: { type: 'number', description: 'The timeout for the command in milliseconds.' },
  ...escalationProperties,
};

function functionSpec(
  name: string,
  description: string,
  properties: Record<string, JsonSchema>,
  required: string[],
): ToolSpec {
  return {
    type: 'function',
    name,
    description,
    strict: false,
    parameters: { type: 'object', properties, required, additionalProperties: false },
  };
}

export const SHELL_SPEC = functionSpec(
  'shell',
  'Runs a shell command and returns its output.',
  {
    command: { type: 'array', items: { type: 'string' }, description: 'The command to execute.' },
    ...commonProperties,
  },
  ['command'],
);

export const SHELL_COMMAND_SPEC = functionSpec(
  'shell_command',
  "Runs a shell script in the user's login shell and returns its output.",
  { command: { type: 'string', description: 'The shell script to execute.' }, ...commonProperties },
  ['command'],
);

export const EXEC_COMMAND_SPEC = functionSpec(
  'exec_command',
  'Runs a command in a PTY. Returns its output, and a session ID for write_stdin while it keeps running.',
  {
    cmd: { type: 'string', description: 'The shell command to execute.' },
    workdir: { type: 'string', description: 'The working directory to run the command in.' },
    shell: { type: 'string', description: 'The shell binary to launch. Defaults to /bin/bash.' },
    login: {
      type: 'boolean',
      description: 'Whether to run the shell with -l (login) semantics. Defaults to true.',
    },
    yield_time_ms: {
      type: 'number',
      description: 'How long to wait (in milliseconds) for output before yielding. Defaults to 10000.',
    },
    max_output_tokens: {
      type: 'number',
      description: 'Maximum number of tokens to return. Defaults to 10000.',
    },
    ...escalationProperties,
  },
  ['cmd'],
);

export const WRITE_STDIN_SPEC = functionSpec(
  'write_stdin',
  'Writes characters to a running exec session and returns its recent output. Empty chars polls.',
  {
    session_id: { type: 'number', description: 'Identifier of the running session.' },
    chars: { type: 'string', description: 'Bytes to write to stdin (may be empty to poll).' },
    yield_time_ms: {
      type: 'number',
      description: 'How long to wait (in milliseconds) for output before yielding. Defaults to 250.',
    },
    max_output_tokens: {
      type: 'number',
      description: 'Maximum number of tokens to return. Defaults to 10000.',
    },
  },
  ['session_id'],
);

const escalation = {
  with_escalated_permissions: z.optional(z.boolean()),
  justification: z.optional(z.string()),
};
const positiveInt = z.number().check(z.int(), z.positive());
const nonEmpty = z.string().check(z.minLength(1));
const nonNegative = z.number().check(z.nonnegative());
const common = {
  workdir: z.optional(z.string()),
  timeout_ms: z.optional(positiveInt),
  ...escalation,
};

export const shellArgs = z.object({ command: z.array(z.string()).check(z.minLength(1)), ...common });
export const shellCommandArgs = z.object({ command: nonEmpty, ...common });
export const execCommandArgs = z.object({
  cmd: nonEmpty,
  workdir: z.optional(z.string()),
  shell: z.optional(nonEmpty),
  login: z.optional(z.boolean()),
  yield_time_ms: z.optional(nonNegative),
  max_output_tokens: z.optional(positiveInt),
  ...escalation,
});
export const writeStdinArgs = z.object({
  session_id: z.number().check(z.int()),
  chars: z.optional(z.string()),
  yield_time_ms: z.optional(nonNegative),
  max_output_tokens: z.optional(positiveInt),
});

/** Parses a call's JSON arguments against `schema`; a mismatch names the field for the model. */
export function parseArgs<T extends z.ZodMiniType>(call: ToolCall, schema: T): z.infer<T> {
  const parsed = schema.safeParse(parseJsonArguments(call));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ToolInputError(
    `invalid ${call.name} arguments at ${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
}
