// SSE throughput of both wires on one core: text deltas/s and MB/s through (a) the parse pipeline alone
// (bytes → eventsource-parser → wire parser → ResponseEvents, the client's own read loop) and (b) the
// full client over loopback HTTP against the fake server in the same process; plus the per-request cost
// of building a request body for a realistic history.
import { Readable } from 'node:stream';
import type { ResponseItem } from '../src/protocol/models.js';
import { ChatStreamAssembler } from '../src/providers/chat/assembler.js';
import { ChatWire } from '../src/providers/chat/wire.js';
import { createModelClient } from '../src/providers/index.js';
import { resolveChatQuirks } from '../src/providers/quirks.js';
import { ResponsesStreamParser } from '../src/providers/responses/parser.js';
import { ResponsesWire } from '../src/providers/responses/wire.js';
import { readSseData } from '../src/providers/sse.js';
import type { Prompt, ResponseEvent } from '../src/providers/types.js';
import { renderChat } from '../test/fake-model/render-chat.js';
import { renderResponses } from '../test/fake-model/render-responses.js';
import { startFakeModelServer } from '../test/fake-model/server.js';
import { makeFamily, makeProvider } from '../test/providers/helpers.js';

const DELTAS = 200_000;
const deltas = Array.from({ length: DELTAS }, (_, i) => `tok${i % 100} `);
const script = {
  steps: [
    { type: 'text' as const, text: deltas.join(''), deltas },
    { type: 'usage' as const, input: 1, output: DELTAS },
  ],
};

function sseBytes(wire: 'responses' | 'chat'): Uint8Array {
  const actions = wire === 'chat' ? renderChat(script, 'r', true) : renderResponses(script, 'r');
  return new TextEncoder().encode(actions.map((a) => (a.kind === 'write' ? a.text : '')).join(''));
}

function streamOf(bytes: Uint8Array, chunk = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += chunk)
        yield bytes.subarray(offset, offset + chunk);
    })(),
  );
}

async function parseOnly(wire: 'responses' | 'chat', bytes: Uint8Array): Promise<number> {
  const parser =
    wire === 'chat' ? new ChatStreamAssembler({ callIdPrefix: 'c' }) : new ResponsesStreamParser();
  const out: ResponseEvent[] = [];
  let count = 0;
  for await (const batch of readSseData(streamOf(bytes), 60_000, new AbortController().signal)) {
    for (const data of batch) parser.feed(data, out);
    for (const e of out) if (e.type === 'output_text_delta') count++;
    out.length = 0;
  }
  return count;
}

function report(label: string, count: number, bytes: number, ms: number): void {
  const perSec = Math.round((count / ms) * 1000);
  const mbps = (bytes / 1024 / 1024 / (ms / 1000)).toFixed(1);
  console.log(
    `${label.padEnd(34)} ${perSec.toLocaleString('en-US').padStart(10)} deltas/s  ${mbps.padStart(6)} MB/s  (${ms.toFixed(0)} ms)`,
  );
}

async function best<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let bestMs = Number.POSITIVE_INFINITY;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = await fn();
    bestMs = Math.min(bestMs, performance.now() - start);
  }
  return { ms: bestMs, value };
}

console.log(`${DELTAS.toLocaleString('en-US')} text deltas per response; best of 3 runs\n`);
for (const wire of ['responses', 'chat'] as const) {
  const bytes = sseBytes(wire);
  const { ms, value } = await best(3, () => parseOnly(wire, bytes));
  if (value !== DELTAS) throw new Error(`${wire}: expected ${DELTAS} deltas, got ${value}`);
  report(`parse pipeline, ${wire}`, value, bytes.length, ms);
}

// The loopback figures include the fake server, on the same core, rendering and writing every event.
for (const wire of ['responses', 'chat'] as const) {
  const { ms } = await best(3, async () => sseBytes(wire));
  console.log(`(fake server render alone, ${wire}: ${ms.toFixed(0)} ms)`);
}
const fake = await startFakeModelServer();
for (const wire of ['responses', 'chat'] as const) {
  const bytes = sseBytes(wire).length;
  const client = createModelClient(makeProvider({ baseUrl: fake.url, wireApi: wire }), {
    sessionId: 's',
    family: makeFamily(),
  });
  const prompt: Prompt = { instructions: 'x', input: [], tools: [], parallelToolCalls: false };
  const { ms, value } = await best(3, async () => {
    fake.enqueue(script);
    let n = 0;
    for await (const e of client.stream(prompt, { model: 'm' }, new AbortController().signal))
      if (e.type === 'output_text_delta') n++;
    return n;
  });
  if (value !== DELTAS) throw new Error(`${wire}: expected ${DELTAS} deltas, got ${value}`);
  report(`client over loopback HTTP, ${wire}`, value, bytes, ms);
}
await fake.close();

// Body building: a 60-item history (user turns, tool calls with ~1 KB outputs, reasoning) and 12 tools.
const history: ResponseItem[] = [];
for (let i = 0; i < 12; i++) {
  history.push({
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text: `Please fix bug ${i} in the parser.` }],
  });
  history.push({
    type: 'reasoning',
    summary: [{ type: 'summary_text', text: 'Looking at the code.' }],
    content: [{ type: 'reasoning_text', text: 'thinking '.repeat(20) }],
  });
  history.push({
    type: 'function_call',
    name: 'shell',
    arguments: '{"command":["rg","parse","src"]}',
    call_id: `c${i}`,
  });
  history.push({
    type: 'function_call_output',
    call_id: `c${i}`,
    output: 'src/a.ts:1: parse()\n'.repeat(50),
  });
  history.push({
    type: 'message',
    role: 'assistant',
    content: [{ type: 'output_text', text: 'Fixed it by changing the loop bounds.' }],
  });
}
const tools = Array.from({ length: 12 }, (_, i) => ({
  type: 'function' as const,
  name: `tool_${i}`,
  description: 'A tool that does something useful with a path and options.',
  strict: false,
  parameters: {
    type: 'object',
    properties: { path: { type: 'string' }, recursive: { type: 'boolean' } },
    required: ['path'],
  },
}));
const prompt: Prompt = {
  instructions: 'You are a coding agent. '.repeat(200),
  input: history,
  tools,
  parallelToolCalls: false,
};
const family = makeFamily({ supportsReasoningSummaries: true });
const wires = {
  responses: new ResponsesWire({ family, sessionId: 's', azure: false }),
  chat: new ChatWire(resolveChatQuirks(makeProvider()), family),
};
console.log('');
for (const [name, wire] of Object.entries(wires)) {
  const runs = 2_000;
  let size = 0;
  for (let i = 0; i < 200; i++) size = wire.buildBody(prompt, { model: 'm' }).length;
  const start = performance.now();
  for (let i = 0; i < runs; i++) wire.buildBody(prompt, { model: 'm' });
  const us = ((performance.now() - start) / runs) * 1000;
  console.log(
    `body build, ${name.padEnd(9)} ${history.length} items, ${(size / 1024).toFixed(0)} KB body: ${us.toFixed(0)} µs/request`,
  );
}
