// `enabled_tools` / `disabled_tools`: the allow-list first, then the deny-list. Applied when listing and
// again when calling, so a tool hidden from the model cannot be reached by a guessed name either.

import type { McpServerConfig } from '../config/types.js';

export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;

export function isToolEnabled(
  config: Pick<McpServerConfig, 'enabledTools' | 'disabledTools'>,
  tool: string,
): boolean {
  if (config.enabledTools && !config.enabledTools.includes(tool)) return false;
  return !config.disabledTools?.includes(tool);
}
