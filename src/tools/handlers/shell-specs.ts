// The shell tools as the model sees them and as their handlers read them: one zod declaration per tool,
// from which defineTool() makes both the JSON spec and the argument parser.

import * as z from '../../config/zod-mini.js';
import { defineTool, described } from '../define-tool.js';

const positiveInt = z.number().check(z.int(), z.positive());
const nonEmpty = z.string().check(z.minLength(1));
const nonNegative = z.number().check(z.nonnegative());
const maxOutputTokens = z.optional(
  described(positiveInt, 'Maximum number of tokens to return. Defaults to 10000.'),
);
const workdir = z.optional(described(z.string(), 'The working directory to run the command in.'));

const escalation = {
  with_escalated_permissions: z.optional(
    described(
      z.boolean(),
      'Whether to request escalated permissions. Set to true if the command needs to run without sandbox restrictions.',
    ),
  ),
  justification: z.optional(
    described(
      z.string(),
      'Only set if with_escalated_permissions is true: one sentence on why the command needs it.',
    ),
  ),
};

const common = {
  workdir,
  timeout_ms: z.optional(described(positiveInt, 'The timeout for the command in milliseconds.')),
  ...escalation,
};

export const shellTool = defineTool({
  name: 'shell',
  description: 'Runs a shell command and returns its output.',
  parameters: z.object({
    command: described(z.array(z.string()).check(z.minLength(1)), 'The command to execute.'),
    ...common,
  }),
});

export const shellCommandTool = defineTool({
  name: 'shell_command',
  description: "Runs a shell script in the user's login shell and returns its output.",
  parameters: z.object({ command: described(nonEmpty, 'The shell script to execute.'), ...common }),
});

export const execCommandTool = defineTool({
  name: 'exec_command',
  description:
    'Runs a command in a PTY. Returns its output, and a session ID for write_stdin while it keeps running.',
  parameters: z.object({
    cmd: described(nonEmpty, 'The shell command to execute.'),
    workdir,
    shell: z.optional(described(nonEmpty, 'The shell binary to launch. Defaults to /bin/bash.')),
    login: z.optional(
      described(z.boolean(), 'Whether to run the shell with -l (login) semantics. Defaults to true.'),
    ),
    yield_time_ms: z.optional(
      described(
        nonNegative,
        'How long to wait (in milliseconds) for output before yielding. Defaults to 10000.',
      ),
    ),
    max_output_tokens: maxOutputTokens,
    ...escalation,
  }),
});

export const writeStdinTool = defineTool({
  name: 'write_stdin',
  description:
    'Writes characters to a running exec session and returns its recent output. Empty chars polls.',
  parameters: z.object({
    session_id: described(z.number().check(z.int()), 'Identifier of the running session.'),
    chars: z.optional(described(z.string(), 'Bytes to write to stdin (may be empty to poll).')),
    yield_time_ms: z.optional(
      described(
        nonNegative,
        'How long to wait (in milliseconds) for output before yielding. Defaults to 250.',
      ),
    ),
    max_output_tokens: maxOutputTokens,
  }),
});
