// The slash commands Conduit advertises to the editor (`available_commands_update`). They arrive as prompt
// text starting with `/`: /compact runs the core's compaction as a turn; /status and /diff answer locally.

import type { AvailableCommand } from '@agentclientprotocol/sdk';
import type { TokenUsageInfo, TurnSettings } from '../../index.js';
import { fenced } from './updates.js';

export const AVAILABLE_COMMANDS: AvailableCommand[] = [
  { name: 'compact', description: 'Summarise the conversation so far to free context space' },
  { name: 'status', description: 'Show the session, model, mode and token usage' },
  { name: 'diff', description: 'Show the changes Conduit made to files in this session' },
];

export function isKnownCommand(name: string): boolean {
  return AVAILABLE_COMMANDS.some((command) => command.name === name);
}

export function statusText(
  sessionId: string,
  settings: TurnSettings,
  mode: string,
  usage: TokenUsageInfo | undefined,
): string {
  const total = usage?.total_token_usage;
  const window = usage?.model_context_window;
  const lines = [
    `**Session** ${sessionId}`,
    `**Directory** ${settings.cwd}`,
    `**Model** ${settings.model} (provider ${settings.providerId}${settings.effort ? `, reasoning effort ${settings.effort}` : ''})`,
    `**Mode** ${mode}: approval policy ${settings.approvalPolicy}, sandbox ${settings.sandboxPolicy.type}`,
    total
      ? `**Tokens** ${total.total_tokens} total (${total.input_tokens} input, ${total.cached_input_tokens} cached, ${total.output_tokens} output)${window ? `; last request used ${usage.last_token_usage.total_tokens} of ${window}` : ''}`
      : '**Tokens** none used yet',
  ];
  return lines.join('\n');
}

/** /diff: what each turn changed, in order. */
export function diffText(turnDiffs: string[]): string {
  if (turnDiffs.length === 0) return 'Conduit has not changed any file in this session yet.';
  return turnDiffs.map((diff) => fenced(diff, 'diff')).join('\n\n');
}
