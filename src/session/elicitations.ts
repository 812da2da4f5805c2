// MCP servers asking the user for input (elicitation): each request becomes an `elicitation_request`
// event and the front end's `elicitation_response` op settles it. A front end that did not opt in (exec)
// gets a warning and the server a decline; an interrupt, a shutdown or the server's own cancellation
// settles what is pending with `cancel`, so no server waits forever.

import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitationRequest } from '../mcp/types.js';
import type { EventMsg } from '../protocol/events.js';

export class ElicitationBridge {
  private readonly pending = new Map<string, (result: ElicitResult) => void>();
  private nextId = 0;

  /** `answered` false: nobody will answer, so every request is declined at once. */
  constructor(private readonly answered: boolean) {}

  request(request: ElicitationRequest, emit: (msg: EventMsg) => void): Promise<ElicitResult> {
    const { server, params } = request;
    if (!this.answered) {
      emit({
        type: 'warning',
        message: `MCP server '${server}' asked for input (${JSON.stringify(params.message)}); declined: this front end does not answer MCP elicitation`,
      });
      return Promise.resolve({ action: 'decline' });
    }
    const id = `elicitation-${++this.nextId}`;
    return new Promise((resolve) => {
      const onAbort = () => settle({ action: 'cancel' });
      const settle = (result: ElicitResult) => {
        this.pending.delete(id);
        request.signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      this.pending.set(id, settle);
      request.signal.addEventListener('abort', onAbort, { once: true });
      emit({
        type: 'elicitation_request',
        id,
        server,
        message: params.message,
        requested_schema: 'requestedSchema' in params ? params.requestedSchema : undefined,
        url: 'url' in params ? params.url : undefined,
      });
    });
  }

  /** Returns false when nothing is waiting for this id. */
  resolve(id: string, action: ElicitResult['action'], content?: ElicitResult['content']): boolean {
    const settle = this.pending.get(id);
    if (!settle) return false;
    settle(action === 'accept' ? { action, content: content ?? {} } : { action });
    return true;
  }

  cancelAll(): void {
    for (const settle of [...this.pending.values()]) settle({ action: 'cancel' });
  }
}
