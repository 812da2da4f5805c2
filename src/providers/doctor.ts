// `conduit doctor`'s probe: asks the configured provider, over both wires, what it can do (answer,
// stream, report usage, call a tool, stream reasoning) and lists its models. Self-hosted users otherwise
// learn these facts one failure at a time. Returns data; the CLI draws the table.
import type { ModelFamily, ModelProviderInfo, WireApi } from '../config/types.js';
import type { ResponseItem } from '../protocol/models.js';
import { ChatWire } from './chat/wire.js';
import type { HttpModelClient } from './client.js';
import { buildRequestHeaders, buildRequestUrl, resolveBearerToken } from './endpoint.js';
import { isModelError } from './errors.js';
import { httpSend } from './http.js';
import { createModelClient } from './index.js';
import { resolveChatQuirks } from './quirks.js';
import type { Prompt, ResponseEvent } from './types.js';

/** `ok`: undefined when the check could not run (an earlier one failed). */
export interface Finding {
  ok: boolean | undefined;
  detail: string;
}

export interface WireReport {
  answers: Finding;
  streaming: Finding;
  usage: Finding;
  toolCalls: Finding;
  reasoning: Finding;
}

export interface DoctorReport {
  provider: { id: string; name: string; baseUrl: string; wireApi: WireApi; quirks?: string };
  model: string;
  auth: Finding;
  models: Finding & { ids: string[] };
  wires: Record<WireApi, WireReport>;
  /** What to change, in plain words, when a finding calls for it. */
  advice: string[];
}

export interface ProbeOptions {
  model: string;
  family: ModelFamily;
  /** Per-probe limit (default 60 s; a local server may need long to load a model). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const NOT_PROBED: Finding = { ok: undefined, detail: '-' };
const PROBE_TOOL = {
  type: 'function' as const,
  name: 'get_magic_number',
  description: 'Returns the magic number. Always call this tool when asked for the magic number.',
  strict: false,
  parameters: { type: 'object', properties: {}, additionalProperties: false },
};

export async function probeProvider(
  provider: ModelProviderInfo,
  options: ProbeOptions,
): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const report: DoctorReport = {
    provider: {
      id: provider.id,
      name: provider.name,
      baseUrl: provider.baseUrl,
      wireApi: provider.wireApi,
      quirks: provider.wireApi === 'chat' ? resolveChatQuirks(provider).id : undefined,
    },
    model: options.model,
    auth: checkAuth(provider, env),
    models: { ...NOT_PROBED, ids: [] },
    wires: { responses: emptyWire(), chat: emptyWire() },
    advice: [],
  };
  if (report.auth.ok === false) return report;
  report.models = await probeModels(provider, options, env);
  for (const wire of ['responses', 'chat'] as const) {
    report.wires[wire] = await probeWire({ ...provider, wireApi: wire }, options, env);
  }
  report.advice = advise(report);
  return report;
}

function emptyWire(): WireReport {
  return {
    answers: NOT_PROBED,
    streaming: NOT_PROBED,
    usage: NOT_PROBED,
    toolCalls: NOT_PROBED,
    reasoning: NOT_PROBED,
  };
}

function checkAuth(provider: ModelProviderInfo, env: NodeJS.ProcessEnv): Finding {
  try {
    const token = resolveBearerToken(provider, env);
    if (!token) return { ok: true, detail: 'none configured (no Authorization header)' };
    return {
      ok: true,
      detail: provider.experimentalBearerToken ? 'experimental_bearer_token' : `from $${provider.envKey}`,
    };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

async function probeModels(provider: ModelProviderInfo, options: ProbeOptions, env: NodeJS.ProcessEnv) {
  const headers = buildRequestHeaders(
    provider,
    { sessionId: 'doctor', originator: 'conduit_doctor', version: '', wire: 'chat' },
    env,
  );
  headers.accept = 'application/json';
  try {
    const response = await httpSend(buildRequestUrl(provider, '/models'), {
      method: 'GET',
      headers,
      signal: timeout(options),
    });
    if (!response.ok) {
      response.body.destroy();
      return { ok: false, detail: `HTTP ${response.status} from ${provider.baseUrl}/models`, ids: [] };
    }
    const body = JSON.parse(await response.text()) as {
      data?: { id?: unknown }[];
      models?: { name?: unknown }[];
    };
    const ids = (body.data ?? [])
      .map((m) => String(m.id))
      .concat((body.models ?? []).map((m) => String(m.name)));
    const listed = ids.includes(options.model);
    return {
      ok: listed || ids.length === 0,
      detail: `${ids.length} model${ids.length === 1 ? '' : 's'}${ids.length ? `; "${options.model}" ${listed ? 'listed' : 'NOT listed'}` : ''}`,
      ids,
    };
  } catch (err) {
    return { ok: false, detail: `unreachable: ${describe(err)}`, ids: [] };
  }
}

async function probeWire(
  provider: ModelProviderInfo,
  options: ProbeOptions,
  env: NodeJS.ProcessEnv,
): Promise<WireReport> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const probeProvider = {
    ...provider,
    requestMaxRetries: 0,
    streamMaxRetries: 0,
    streamIdleTimeoutMs: timeoutMs,
  };
  const client = createModelClient(probeProvider, {
    sessionId: 'doctor',
    family: options.family,
    originator: 'conduit_doctor',
    env,
  });
  const report = emptyWire();
  const text = await runProbe(client, prompt('Reply with the single word: ok', []), options);
  if (text.error !== undefined) {
    report.answers = { ok: false, detail: text.error };
    return report;
  }
  const info = client.lastStreamInfo;
  report.answers = { ok: true, detail: text.text ? `"${clip(text.text)}"` : 'yes (empty text)' };
  report.streaming = info?.streamed
    ? { ok: true, detail: `SSE, ${text.deltas} text deltas` }
    : { ok: false, detail: `one JSON body (${info?.contentType || 'no content-type'})` };
  report.usage = text.usage
    ? { ok: true, detail: `${text.usage.input_tokens} in / ${text.usage.output_tokens} out` }
    : { ok: false, detail: 'no usage in the stream' };
  const field = client.wire instanceof ChatWire ? client.wire.observedReasoningField : undefined;
  report.reasoning = text.reasoning
    ? { ok: true, detail: field ?? 'reasoning items' }
    : { ok: false, detail: 'none streamed (fine for non-reasoning models)' };

  const tool = await runProbe(
    client,
    prompt('What is the magic number? Use the get_magic_number tool.', [PROBE_TOOL]),
    options,
  );
  const call = tool.items.find((i) => i.type === 'function_call' && i.name === PROBE_TOOL.name);
  if (tool.error !== undefined) report.toolCalls = { ok: false, detail: tool.error };
  else if (call?.type === 'function_call') {
    report.toolCalls = {
      ok: true,
      detail: isJson(call.arguments) ? 'JSON arguments' : `arguments are not JSON: ${clip(call.arguments)}`,
    };
  } else report.toolCalls = { ok: false, detail: `answered in text instead: "${clip(tool.text)}"` };
  return report;
}

interface ProbeResult {
  error?: string;
  text: string;
  deltas: number;
  reasoning: boolean;
  usage?: { input_tokens: number; output_tokens: number };
  items: ResponseItem[];
}

async function runProbe(client: HttpModelClient, p: Prompt, options: ProbeOptions): Promise<ProbeResult> {
  const result: ProbeResult = { text: '', deltas: 0, reasoning: false, items: [] };
  try {
    for await (const event of client.stream(p, { model: options.model }, timeout(options)))
      record(result, event);
  } catch (err) {
    result.error =
      isModelError(err) && err.kind === 'interrupted'
        ? `no answer within ${(options.timeoutMs ?? 60_000) / 1000} s`
        : describe(err).replace(/^could not reach .*? at \S+: /, 'unreachable: ');
  }
  return result;
}

function record(result: ProbeResult, event: ResponseEvent): void {
  if (event.type === 'output_text_delta') {
    result.text += event.delta;
    result.deltas++;
  } else if (event.type === 'reasoning_content_delta' || event.type === 'reasoning_summary_delta')
    result.reasoning = true;
  else if (event.type === 'output_item_done') result.items.push(event.item);
  else if (event.type === 'completed') result.usage = event.usage;
}

function advise(report: DoctorReport): string[] {
  const advice: string[] = [];
  const configured = report.provider.wireApi;
  const other: WireApi = configured === 'chat' ? 'responses' : 'chat';
  const mine = report.wires[configured];
  if (!mine.answers.ok && report.wires[other].answers.ok) {
    advice.push(
      `Only the ${other} wire answers: set wire_api = "${other}" in [model_providers.${report.provider.id}].`,
    );
  }
  if (mine.answers.ok && !mine.usage.ok) {
    advice.push(
      'The server reports no token usage while streaming, so context-window tracking and auto-compaction are blind.',
    );
  }
  if (mine.answers.ok && !mine.toolCalls.ok) {
    advice.push(
      "No structured tool call came back: enable the server's tool-call parser (e.g. vLLM --enable-auto-tool-choice --tool-call-parser <name>) or use a model trained for tools.",
    );
  }
  if (report.models.ok === false && report.models.ids.length > 0) {
    advice.push(`The model "${report.model}" is not in the server's list: check the model name.`);
  }
  return advice;
}

function prompt(text: string, tools: Prompt['tools']): Prompt {
  return {
    instructions: 'You are a connectivity probe. Follow the instruction exactly.',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }],
    tools,
    parallelToolCalls: false,
  };
}

function timeout(options: ProbeOptions): AbortSignal {
  const limit = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  return options.signal ? AbortSignal.any([limit, options.signal]) : limit;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && !err.message.includes(cause.message)
    ? `${err.message} (${cause.message})`
    : err.message;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s).replace(/\s+/g, ' ');
