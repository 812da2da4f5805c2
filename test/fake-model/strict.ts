// The fake model refuses what real servers refuse: a request whose history holds a tool call without its
// output (the Responses API answers HTTP 400 "No tool output found for function call <id>."; Chat servers
// refuse an assistant tool_calls message without a tool message per id). Always on, so every test proves
// Conduit never sends such a history, e.g. after an interrupted or killed turn.

type Json = Record<string, unknown>;

/** The call id of the first call left without an output, or undefined when every call is answered. */
export function unansweredCall(wire: 'responses' | 'chat', body: unknown): string | undefined {
  const b = (body ?? {}) as { input?: unknown; messages?: unknown };
  if (wire === 'responses') {
    const input = Array.isArray(b.input) ? (b.input as Json[]) : [];
    return firstUnanswered(
      input,
      (item) =>
        item?.type === 'function_call' ||
        item?.type === 'custom_tool_call' ||
        item?.type === 'local_shell_call'
          ? [String(item.call_id)]
          : [],
      (item) =>
        item?.type === 'function_call_output' || item?.type === 'custom_tool_call_output'
          ? String(item.call_id)
          : undefined,
    );
  }
  const messages = Array.isArray(b.messages) ? (b.messages as Json[]) : [];
  return firstUnanswered(
    messages,
    (m) =>
      m?.role === 'assistant' && Array.isArray(m.tool_calls)
        ? (m.tool_calls as Json[]).map((c) => String(c?.id))
        : [],
    (m) => (m?.role === 'tool' ? String(m.tool_call_id) : undefined),
  );
}

function firstUnanswered(
  items: Json[],
  callIds: (item: Json) => string[],
  outputId: (item: Json) => string | undefined,
): string | undefined {
  const open: string[] = [];
  for (const item of items) {
    open.push(...callIds(item));
    const answered = outputId(item);
    if (answered !== undefined) {
      const at = open.indexOf(answered);
      if (at >= 0) open.splice(at, 1);
    }
  }
  return open[0];
}

export function unansweredCallError(callId: string) {
  return {
    status: 400,
    body: {
      error: {
        message: `No tool output found for function call ${callId}.`,
        type: 'invalid_request_error',
        param: 'input',
        code: null,
      },
    },
  };
}
