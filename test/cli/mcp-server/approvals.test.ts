// Approvals travel to the client as elicitation/create and always come back as a decision: an answer, or
// `denied` when the client cannot or does not answer. Both exec (shell) and patch approvals.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModelServer, startFakeModelServer } from '../../fake-model/server.js';
import { itSandboxed } from '../../helpers/sandbox.js';
import {
  BIN,
  type Connected,
  connect,
  type ElicitHandler,
  makeHome,
  textOf,
  toolOutputsThisTurn,
} from './helpers.js';

let fake: FakeModelServer;
const open: Connected[] = [];

beforeAll(async () => {
  fake = await startFakeModelServer({ wires: ['responses'] });
});

afterEach(async () => {
  fake.setHandler(undefined);
  await Promise.all(open.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await fake?.close();
});

const usage = { type: 'usage', input: 10, output: 2 } as const;

interface Kind {
  name: 'exec' | 'patch';
  /** Tool-call arguments that need approval under `args`. */
  call: { name: string; arguments: Record<string, unknown> };
  args: Record<string, unknown>;
  elicitation: string;
  /** The file the action creates. */
  file: string;
}

const KINDS: Kind[] = [
  {
    name: 'exec',
    call: { name: 'shell', arguments: { command: ['touch', 'made-by-shell.txt'] } },
    args: { 'approval-policy': 'untrusted', sandbox: 'workspace-write' },
    elicitation: 'exec-approval',
    file: 'made-by-shell.txt',
  },
  {
    name: 'patch',
    call: {
      name: 'apply_patch',
      arguments: { input: '*** Begin Patch\n*** Add File: made-by-patch.txt\n+hi\n*** End Patch\n' },
    },
    args: { 'approval-policy': 'on-request', sandbox: 'read-only' },
    elicitation: 'patch-approval',
    file: 'made-by-patch.txt',
  },
];

/** Runs one codex call whose model asks for `kind`'s action, then reports the tool output it was given. */
async function runWith(kind: Kind, options: { elicit?: ElicitHandler; args?: string[] }) {
  const home = makeHome(fake.url);
  const conn = await connect(home, options);
  open.push(conn);
  fake.setHandler((request) => {
    const outputs = toolOutputsThisTurn(request);
    if (outputs.length === 0) return { steps: [{ type: 'tool_call', ...kind.call }, usage] };
    return { steps: [{ type: 'text', text: `tool said: ${outputs[0]}` }, usage] };
  });
  const result = await conn.client.callTool({ name: 'codex', arguments: { prompt: 'do it', ...kind.args } });
  const warnings = conn.events.filter((e) => e.msg.type === 'warning').map((e) => String(e.msg.message));
  return { result, conn, warnings, created: existsSync(join(home.cwd, kind.file)), home };
}

const answer =
  (decision: string): ElicitHandler =>
  async () =>
    ({ action: 'accept', content: { decision } }) satisfies ElicitResult;

describe.each(KINDS)('$name approvals', (kind) => {
  itSandboxed('asks the client with a decision form and codex_* fields, and runs when approved', async () => {
    const { result, conn, created, home } = await runWith(kind, { elicit: answer('approved') });
    expect(result.isError).toBeFalsy();
    expect(created).toBe(true);
    expect(conn.elicitations).toHaveLength(1);
    const params = conn.elicitations[0] as Record<string, unknown> & {
      requestedSchema: { properties: Record<string, { enum: string[] }> };
    };
    expect(params.requestedSchema.properties.decision.enum).toEqual([
      'approved',
      'approved_for_session',
      'denied',
      'abort',
    ]);
    expect(params.codex_elicitation).toBe(kind.elicitation);
    const request = conn.events.find((e) => e.msg.type.endsWith('approval_request'))!;
    expect(params.codex_call_id).toBe(request.msg.call_id);
    expect(params.codex_event_id).toBe(request.id);
    expect(params.codex_mcp_tool_call_id).toBe(String(request._meta.requestId));
    if (kind.name === 'exec') {
      expect(params.codex_command).toEqual(['touch', 'made-by-shell.txt']);
      expect(params.codex_cwd).toBe(home.cwd);
      expect(params.message).toBe(`Allow Conduit to run \`touch made-by-shell.txt\` in \`${home.cwd}\`?`);
    } else {
      expect(params.codex_changes).toEqual({
        [join(home.cwd, 'made-by-patch.txt')]: { type: 'add', content: 'hi\n' },
      });
      expect(params.message).toContain('Allow Conduit to apply proposed code changes?');
    }
  });

  it('does not run when the client denies', async () => {
    const { result, created, warnings } = await runWith(kind, { elicit: answer('denied') });
    expect(created).toBe(false);
    expect(textOf(result)).toMatch(/^tool said: .*rejected/);
    expect(warnings).toEqual([]);
  });

  it('denies, and says why, when the client never answers', async () => {
    const never: ElicitHandler = () => new Promise(() => {});
    const { result, created, warnings } = await runWith(kind, {
      elicit: never,
      args: ['--approval-timeout', '0.5'],
    });
    expect(created).toBe(false);
    expect(result.isError).toBeFalsy();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/treated as "denied": the client did not answer within 0.5 s$/);
  });

  it('denies, and says why, when the client cannot elicit', async () => {
    const { result, conn, created, warnings } = await runWith(kind, {});
    expect(created).toBe(false);
    expect(result.isError).toBeFalsy();
    expect(conn.elicitations).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(/treated as "denied": the client does not support elicitation/),
    ]);
  });

  it('denies when the client answers with an error', async () => {
    const failing: ElicitHandler = async () => {
      throw new Error('the UI crashed');
    };
    const { created, warnings } = await runWith(kind, { elicit: failing });
    expect(created).toBe(false);
    expect(warnings).toEqual([
      expect.stringMatching(/treated as "denied": the client answered with an error: .*the UI crashed/),
    ]);
  });
});

describe('a client written for Codex', () => {
  it("is understood when it answers with Codex's raw {decision} shape", async () => {
    const home = makeHome(fake.url);
    fake.setHandler((request) => {
      if (toolOutputsThisTurn(request).length === 0)
        return { steps: [{ type: 'tool_call', ...KINDS[1].call }, usage] };
      return { steps: [{ type: 'text', text: 'patched' }, usage] };
    });
    // Raw JSON-RPC over stdio: the SDK client would refuse to send a reply that is not an ElicitResult.
    const child = spawn(process.execPath, [BIN, 'mcp-server'], {
      cwd: home.cwd,
      env: { ...process.env, CONDUIT_HOME: home.home },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    const lines = createInterface({ input: child.stdout });
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: { elicitation: {} },
        clientInfo: { name: 'raw', version: '1' },
      },
    });
    let result: { content: { text: string }[] } | undefined;
    for await (const line of lines) {
      const message = JSON.parse(line);
      if (message.id === 1 && message.result) {
        send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        send({
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'codex', arguments: { prompt: 'go', ...KINDS[1].args } },
        });
      } else if (message.method === 'elicitation/create') {
        expect(message.params.codex_elicitation).toBe('patch-approval');
        send({ jsonrpc: '2.0', id: message.id, result: { decision: 'approved' } });
      } else if (message.id === 2) {
        result = message.result;
        break;
      }
    }
    child.kill();
    expect(result?.content[0].text).toBe('patched');
    expect(existsSync(join(home.cwd, 'made-by-patch.txt'))).toBe(true);
  });
});

describe("elicitation from the session's own MCP servers", () => {
  it('goes on to the client as the same form, and the answer back to the server', async () => {
    const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'mcp', 'asks-and-logs.mjs');
    const home = makeHome(
      fake.url,
      `\n[mcp_servers.f]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(fixture)}]\n`,
    );
    const conn = await connect(home, {
      elicit: async () => ({ action: 'accept', content: { name: 'Grace' } }) satisfies ElicitResult,
    });
    open.push(conn);
    fake.setHandler((request) => {
      const outputs = toolOutputsThisTurn(request);
      if (outputs.length === 0)
        return { steps: [{ type: 'tool_call', name: 'f__ask', arguments: {} }, usage] };
      return { steps: [{ type: 'text', text: `tool said: ${outputs[0]}` }, usage] };
    });
    const result = await conn.client.callTool({ name: 'codex', arguments: { prompt: 'ask' } });
    expect(textOf(result)).toBe('tool said: {"action":"accept","content":{"name":"Grace"}}');
    expect(conn.elicitations).toEqual([
      expect.objectContaining({ message: 'What is your name?', conduit_mcp_server: 'f' }),
    ]);
  });
});
