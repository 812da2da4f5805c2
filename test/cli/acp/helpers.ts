// Shared wiring for the `conduit acp` tests: a temp CONDUIT_HOME pointed at the fake model, the real
// `conduit acp` spawned over stdio, and the SDK's client-side app recording every session/update, answering
// permission requests with a test-chosen option and serving fs/* from the disk (recording each call).

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import {
  type ClientCapabilities,
  type ClientContext,
  type CreateElicitationRequest,
  type CreateElicitationResponse,
  client,
  methods,
  ndJsonStream,
  type RequestPermissionRequest,
  type RequestPermissionResponse,
  type SessionNotification,
} from '@agentclientprotocol/sdk';

export const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'conduit.js');
export const NODE_MODULES = join(import.meta.dirname, '..', '..', '..', 'node_modules');

export interface Home {
  home: string;
  cwd: string;
}

/** A Conduit home whose config uses the fake model over the Responses wire, and a work directory. */
export function makeHome(fakeUrl: string, extraToml = ''): Home {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'conduit-acp-')));
  const home = join(root, 'home');
  const cwd = join(root, 'work');
  mkdirSync(home);
  mkdirSync(cwd);
  writeFileSync(
    join(home, 'config.toml'),
    `model = "fake-model"\nmodel_provider = "fake"\n${extraToml}\n[model_providers.fake]\nname = "Fake"\nbase_url = "${fakeUrl}"\nwire_api = "responses"\nrequest_max_retries = 0\nstream_max_retries = 0\n`,
  );
  return { home, cwd };
}

export type PermissionAnswer = (request: RequestPermissionRequest) => Promise<RequestPermissionResponse>;

/** A client-side terminal: the command spawned by the test client, as an editor would. */
interface FakeTerminal {
  command: string;
  args: string[];
  output: string;
  exit: Promise<{ exitCode: number | null; signal: string | null }>;
  child: ChildProcessWithoutNullStreams;
}

export interface Agent {
  agent: ClientContext;
  /** terminal/create calls, in order: the command and its arguments. */
  terminals: { command: string; args: string[]; released: boolean }[];
  child: ChildProcessWithoutNullStreams;
  updates: SessionNotification[];
  permissions: RequestPermissionRequest[];
  elicitations: CreateElicitationRequest[];
  writes: { path: string; content: string }[];
  reads: string[];
  stderr: () => string;
  /** Updates for one session, as `sessionUpdate` kinds, e.g. to find tool calls. */
  updatesOf(sessionId: string): SessionNotification['update'][];
  close(): Promise<void>;
}

export interface StartOptions {
  capabilities?: ClientCapabilities;
  permission?: PermissionAnswer;
  args?: string[];
  env?: Record<string, string>;
  /** Answers elicitation/create (recorded in `elicitations` either way). */
  elicit?: (request: CreateElicitationRequest) => Promise<CreateElicitationResponse>;
}

export const allowForSession: PermissionAnswer = async () => ({
  outcome: { outcome: 'selected', optionId: 'allow-session' },
});

/** Spawns `conduit acp` in `home.cwd` and connects the SDK client; `initialize` is left to the test. */
export function startAgent(home: Home, options: StartOptions = {}): Agent {
  const child = spawn(process.execPath, [BIN, ...(options.args ?? []), 'acp'], {
    cwd: home.cwd,
    env: { ...(process.env as Record<string, string>), CONDUIT_HOME: home.home, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const updates: SessionNotification[] = [];
  const permissions: RequestPermissionRequest[] = [];
  const elicitations: CreateElicitationRequest[] = [];
  const writes: { path: string; content: string }[] = [];
  const reads: string[] = [];
  const terminals: Agent['terminals'] = [];
  const live = new Map<string, FakeTerminal>();
  const terminal = (id: string) => {
    const found = live.get(id);
    if (!found) throw new Error(`no terminal ${id}`);
    return found;
  };
  const app = client({ name: 'conduit-acp-test' })
    .onNotification(methods.client.session.update, ({ params }) => {
      updates.push(params);
    })
    .onRequest(methods.client.session.requestPermission, async ({ params }) => {
      permissions.push(params);
      if (!options.permission) return { outcome: { outcome: 'cancelled' } };
      return options.permission(params);
    })
    .onRequest(methods.client.elicitation.create, async ({ params }) => {
      elicitations.push(params);
      return options.elicit ? options.elicit(params) : { action: 'decline' };
    })
    .onRequest(methods.client.fs.writeTextFile, ({ params }) => {
      writes.push({ path: params.path, content: params.content });
      writeFileSync(params.path, params.content);
      return {};
    })
    .onRequest(methods.client.fs.readTextFile, ({ params }) => {
      reads.push(params.path);
      return { content: readFileSync(params.path, 'utf8') };
    })
    .onRequest(methods.client.terminal.create, ({ params }) => {
      const id = `term-${terminals.length + 1}`;
      const args = params.args ?? [];
      const proc = spawn(params.command, args, {
        cwd: params.cwd ?? home.cwd,
        env: Object.fromEntries((params.env ?? []).map((e) => [e.name, e.value])),
      });
      const entry: FakeTerminal = {
        command: params.command,
        args,
        output: '',
        child: proc,
        exit: once(proc, 'exit').then(([exitCode, signal]) => ({ exitCode, signal })),
      };
      proc.stdout.on('data', (chunk: Buffer) => {
        entry.output += chunk.toString();
      });
      proc.stderr.on('data', (chunk: Buffer) => {
        entry.output += chunk.toString();
      });
      live.set(id, entry);
      terminals.push({ command: params.command, args, released: false });
      return { terminalId: id };
    })
    .onRequest(methods.client.terminal.waitForExit, ({ params }) => terminal(params.terminalId).exit)
    .onRequest(methods.client.terminal.output, ({ params }) => ({
      output: terminal(params.terminalId).output,
      truncated: false,
    }))
    .onRequest(methods.client.terminal.kill, ({ params }) => {
      terminal(params.terminalId).child.kill('SIGKILL');
      return {};
    })
    .onRequest(methods.client.terminal.release, ({ params }) => {
      terminal(params.terminalId).child.kill('SIGKILL');
      live.delete(params.terminalId);
      const index = Number(params.terminalId.slice('term-'.length)) - 1;
      terminals[index].released = true;
      return {};
    });
  const stream = ndJsonStream(
    Writable.toWeb(child.stdin) as WritableStream<Uint8Array>,
    Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>,
  );
  const connection = app.connect(stream);
  return {
    agent: connection.agent,
    terminals,
    child,
    updates,
    permissions,
    elicitations,
    writes,
    reads,
    stderr: () => stderr,
    updatesOf: (sessionId) => updates.filter((n) => n.sessionId === sessionId).map((n) => n.update),
    async close() {
      connection.close();
      for (const entry of live.values()) entry.child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        const exited = once(child, 'exit');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

export async function initialize(agent: Agent, capabilities: ClientCapabilities = {}) {
  return agent.agent.request(methods.agent.initialize, {
    protocolVersion: 1,
    clientCapabilities: capabilities,
    clientInfo: { name: 'conduit-acp-test', version: '1.0.0' },
  });
}

interface ResponsesBody {
  input?: { type?: string; role?: string; content?: { text?: string }[]; output?: unknown }[];
}

/** Outputs of tool calls since the request's last user message (what the model was told this turn). */
export function toolOutputsThisTurn(body: unknown): string[] {
  const input = (body as ResponsesBody).input ?? [];
  const isUser = (item: (typeof input)[number]) => item.type === 'message' && item.role === 'user';
  const lastUser = input.length - 1 - [...input].reverse().findIndex(isUser);
  return input
    .slice(input.some(isUser) ? lastUser + 1 : 0)
    .filter((item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output')
    .map((item) => (typeof item.output === 'string' ? item.output : JSON.stringify(item.output)));
}

/** Every user-message text of a request, in order. */
export function userTexts(body: unknown): string[] {
  const input = (body as ResponsesBody).input ?? [];
  return input
    .filter((item) => item.type === 'message' && item.role === 'user')
    .map((item) => (item.content ?? []).map((part) => part.text ?? '').join(''));
}

/** The text of every chunk of one kind, joined. */
export function chunkText(updates: SessionNotification['update'][], kind: string): string {
  return updates
    .map((u) =>
      u.sessionUpdate === kind && 'content' in u && !Array.isArray(u.content) && u.content?.type === 'text'
        ? u.content.text
        : '',
    )
    .join('');
}

/** Polls a condition another process makes true (no wall-clock assertion: only the test timeout bounds it). */
export async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
