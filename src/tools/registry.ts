// The tools the model sees in one turn: built-in and MCP handlers behind one interface, looked up by name
// and listed in a fixed order so the prompt (and the provider's prompt cache) stays stable between turns.

import type { ToolSpec } from '../protocol/models.js';
import type { ToolHandler } from './types.js';

const SHELL_TOOLS = ['shell', 'shell_command', 'exec_command', 'write_stdin', 'local_shell'];
const MCP_RESOURCE_TOOLS = ['list_mcp_resources', 'list_mcp_resource_templates', 'read_mcp_resource'];
/** Names models use for the shell tool whatever we advertise; they reach `shell` when it is registered. */
const SHELL_ALIASES = ['container.exec', 'local_shell'];
const MCP_NAME = /^mcp__|__/;

/**
 * Rank of a tool in the prompt: shell tools, MCP resource tools, update_plan, apply_patch, other built-ins,
 * web_search, view_image, then MCP tools (sorted by qualified name by the caller).
 */
function rank(name: string): number {
  if (SHELL_TOOLS.includes(name)) return 0;
  if (MCP_RESOURCE_TOOLS.includes(name)) return 1;
  if (name === 'update_plan') return 2;
  if (name === 'apply_patch') return 3;
  if (name === 'web_search') return 5;
  if (name === 'view_image') return 6;
  if (MCP_NAME.test(name)) return 7;
  return 4;
}

/** Orders handlers for the prompt; ties keep their given order except MCP tools, which sort by name. */
export function orderTools(handlers: readonly ToolHandler[]): ToolHandler[] {
  return handlers
    .map((handler, index) => ({ handler, index, rank: rank(handler.name) }))
    .sort((a, b) => {
      if (a.rank !== b.rank) return a.rank - b.rank;
      if (a.rank === 7) return a.handler.name < b.handler.name ? -1 : a.handler.name > b.handler.name ? 1 : 0;
      return a.index - b.index;
    })
    .map((entry) => entry.handler);
}

export class ToolRegistry {
  private readonly ordered: ToolHandler[];
  private readonly byName = new Map<string, ToolHandler>();

  constructor(handlers: readonly ToolHandler[]) {
    for (const handler of handlers) {
      if (this.byName.has(handler.name)) throw new Error(`two tools are both named "${handler.name}"`);
      this.byName.set(handler.name, handler);
    }
    this.ordered = orderTools(handlers);
  }

  /** The handler for a name the model called, following the shell aliases; undefined when unknown. */
  get(name: string): ToolHandler | undefined {
    const direct = this.byName.get(name);
    if (direct) return direct;
    if (SHELL_ALIASES.includes(name)) return this.byName.get('shell') ?? this.byName.get('shell_command');
    return undefined;
  }

  get handlers(): readonly ToolHandler[] {
    return this.ordered;
  }

  specs(): ToolSpec[] {
    return this.ordered.map((handler) => handler.spec);
  }
}
