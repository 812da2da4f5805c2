// A server's raw `tools/list` entries → the tools we offer, each checked on its own: one malformed tool
// or unconvertible schema drops that tool with a warning, never the whole server.

import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../config/types.js';
import type { JsonSchema } from '../protocol/models.js';
import { isToolEnabled } from './filters.js';
import { convertInputSchema } from './schema.js';
import type { McpWarning } from './types.js';

export interface ListedTool {
  name: string;
  description: string;
  parameters: JsonSchema;
  annotations?: Tool['annotations'];
}

export function prepareTools(
  config: Pick<McpServerConfig, 'name' | 'enabledTools' | 'disabledTools'>,
  rawTools: readonly unknown[],
): { tools: ListedTool[]; warnings: McpWarning[] } {
  const tools: ListedTool[] = [];
  const warnings: McpWarning[] = [];
  const seen = new Set<string>();
  const warn = (message: string) => warnings.push({ server: config.name, message });
  rawTools.forEach((raw, index) => {
    if (
      typeof raw !== 'object' ||
      raw === null ||
      typeof (raw as Tool).name !== 'string' ||
      !(raw as Tool).name
    ) {
      warn(`MCP server '${config.name}' listed a tool without a name (entry ${index}); skipped`);
      return;
    }
    const tool = raw as Tool;
    if (!isToolEnabled(config, tool.name)) return;
    if (seen.has(tool.name)) {
      warn(`MCP server '${config.name}' listed tool '${tool.name}' twice; the first one is used`);
      return;
    }
    seen.add(tool.name);
    if (tool.execution?.taskSupport === 'required') {
      warn(
        `MCP tool '${tool.name}' of server '${config.name}' was skipped: it can only run as a task, which Conduit does not support`,
      );
      return;
    }
    const converted = convertInputSchema(tool.inputSchema);
    if (!converted.ok) {
      warn(`MCP tool '${tool.name}' of server '${config.name}' was skipped: ${converted.error}`);
      return;
    }
    const description =
      typeof tool.description === 'string'
        ? tool.description
        : typeof tool.title === 'string'
          ? tool.title
          : '';
    tools.push({
      name: tool.name,
      description,
      parameters: converted.parameters,
      annotations: tool.annotations,
    });
  });
  return { tools, warnings };
}
