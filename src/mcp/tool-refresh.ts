// notifications/tools/list_changed: list the tools again, one listing at a time (a burst of notifications
// costs at most one more listing), and tell the owner so the next model request offers the new set.

import type { McpServerConfig } from '../config/types.js';
import { errorText } from './start-errors.js';
import { type ListedTool, prepareTools } from './tool-list.js';

export interface ToolListSource {
  list: () => Promise<unknown[]>;
  onChanged: () => void;
  onLog: (message: string) => void;
}

export class ToolListRefresher {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly config: McpServerConfig,
    private current: ListedTool[],
    private readonly source: ToolListSource,
  ) {}

  get tools(): readonly ListedTool[] {
    return this.current;
  }

  /** Resolves once the list is current (including a listing asked for while one was running). */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        const prepared = prepareTools(this.config, await this.source.list());
        for (const w of prepared.warnings) this.source.onLog(w.message);
        this.current = prepared.tools;
        this.source.onChanged();
      } catch (error) {
        // The old list stays in use; the next notification tries again.
        this.source.onLog(
          `MCP server '${this.config.name}' said its tools changed, but listing them failed: ${errorText(error)}`,
        );
      }
    } while (this.again);
  }
}
