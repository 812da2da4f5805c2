// Makes a history a server will accept: every tool call needs its output. A process killed mid-call
// (SIGKILL, power loss) leaves a call in the rollout with no output, and real servers refuse such a
// request ("No tool output found for function call …"), so a resumed session could never continue.
// Repair happens on read, so it also heals rollouts written before it existed.

import type { ResponseItem } from '../protocol/models.js';

export const ABORTED_CALL_OUTPUT = 'aborted: the session ended before this call finished';

const isCall = (item: ResponseItem) => item.type === 'function_call' || item.type === 'custom_tool_call';
const isOutput = (item: ResponseItem) =>
  item.type === 'function_call_output' || item.type === 'custom_tool_call_output';

function syntheticOutput(call: ResponseItem): ResponseItem {
  if (call.type === 'custom_tool_call')
    return { type: 'custom_tool_call_output', call_id: call.call_id, output: ABORTED_CALL_OUTPUT };
  const callId = call.type === 'function_call' ? call.call_id : '';
  return { type: 'function_call_output', call_id: callId, output: ABORTED_CALL_OUTPUT };
}

/**
 * Adds an "aborted" output for each call that has none, at the end of the run of calls and outputs the
 * call belongs to (where the output would have been). Returns the same array when nothing was missing.
 */
export function repairHistory(history: readonly ResponseItem[]): {
  history: ResponseItem[];
  repaired: string[];
} {
  const answered = new Set<string>();
  for (const item of history) if (isOutput(item) && 'call_id' in item) answered.add(item.call_id);
  const repaired: string[] = [];
  const out: ResponseItem[] = [];
  let pending: ResponseItem[] = [];
  const flush = () => {
    for (const call of pending) out.push(syntheticOutput(call));
    pending = [];
  };
  for (const item of history) {
    if (!isCall(item) && !isOutput(item)) flush();
    out.push(item);
    if (isCall(item) && 'call_id' in item && !answered.has(item.call_id)) {
      answered.add(item.call_id);
      repaired.push(item.call_id);
      pending.push(item);
    }
  }
  flush();
  return { history: repaired.length ? out : [...history], repaired };
}
