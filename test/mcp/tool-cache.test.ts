// Remembered tool lists: the file cache itself, and the manager offering a remembered list while the real
// server starts, then reconciling. Start-up is held back by a gate file the test creates, so "did not
// wait" is a fact (the server could not have answered yet), never a timing.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpServerConfig } from '../../src/config/types.js';
import { McpConnectionManager } from '../../src/mcp/manager.js';
import { fileToolListCache, toolCacheKey } from '../../src/mcp/tool-cache.js';
import type { McpStartReport } from '../../src/mcp/types.js';
import { fixture, stdioServer } from './helpers.js';

const dirs: string[] = [];
const managers: McpConnectionManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'conduit-tool-cache-'));
  dirs.push(dir);
  return dir;
}

/** scripted-tools as server `s`, reading its tools from tools.txt and gated on `gate`. */
function world(initialTools: string) {
  const dir = scratch();
  const files = {
    tools: join(dir, 'tools.txt'),
    gate: join(dir, 'gate'),
    crash: join(dir, 'crash'),
  };
  writeFileSync(files.tools, initialTools);
  const config = stdioServer('s', [fixture('scripted-tools.mjs')], {
    env: { TOOLS_FILE: files.tools, GATE_FILE: files.gate, CRASH_FILE: files.crash },
  });
  const cache = fileToolListCache(join(dir, 'home'));
  const manager = () => {
    const m = new McpConnectionManager({ cwd: dir, env: {} });
    managers.push(m);
    return m;
  };
  return { dir, files, config, cache, manager };
}

const names = (m: McpConnectionManager) => m.listTools().map((t) => t.qualifiedName);

describe('fileToolListCache', () => {
  const base = stdioServer('s', ['server.js'], { env: { TOKEN: 'secret-value-123' } });

  it('remembers a list per launch, keyed by command, args, env and the passed variables’ values', () => {
    const home = scratch();
    const cache = fileToolListCache(home);
    expect(cache.read(base, {})).toBeUndefined();
    cache.write(base, {}, [{ name: 'a' }]);
    expect(cache.read(base, {})).toEqual([{ name: 'a' }]);

    const variants: McpServerConfig[] = [
      { ...base, transport: { ...base.transport, args: ['other.js'] } } as McpServerConfig,
      { ...base, transport: { ...base.transport, command: 'deno' } } as McpServerConfig,
      { ...base, transport: { ...base.transport, env: { TOKEN: 'another' } } } as McpServerConfig,
      { ...base, transport: { ...base.transport, envVars: ['HOME'] } } as McpServerConfig,
    ];
    for (const variant of variants) expect(cache.read(variant, {})).toBeUndefined();
    const passing = variants[3];
    cache.write(passing, { HOME: '/a' }, [{ name: 'b' }]);
    expect(cache.read(passing, { HOME: '/a' })).toEqual([{ name: 'b' }]);
    expect(cache.read(passing, { HOME: '/b' })).toBeUndefined();
    // The server's name is not part of what it is.
    expect(toolCacheKey({ ...base, name: 'renamed' }, {})).toBe(toolCacheKey(base, {}));
  });

  it('never writes env values to disk, and treats an unreadable file as no cache', () => {
    const home = scratch();
    const cache = fileToolListCache(home);
    cache.write(base, {}, [{ name: 'a' }]);
    const dir = join(home, 'cache', 'mcp-tools');
    const [file] = readdirSync(dir);
    expect(readFileSync(join(dir, file), 'utf8')).not.toContain('secret-value-123');
    writeFileSync(join(dir, file), '{"format": 1, "tools": ');
    expect(cache.read(base, {})).toBeUndefined();
  });

  it('keys an HTTP server by url, headers and the values of its token and header variables', () => {
    const http: McpServerConfig = {
      name: 'h',
      enabled: true,
      startupTimeoutSec: 10,
      toolTimeoutSec: 10,
      transport: {
        type: 'http',
        url: 'http://127.0.0.1:1/mcp',
        bearerTokenEnvVar: 'TOKEN',
        httpHeaders: {},
        envHttpHeaders: {},
      },
    };
    expect(toolCacheKey(http, { TOKEN: 'a' })).not.toBe(toolCacheKey(http, { TOKEN: 'b' }));
    const moved = {
      ...http,
      transport: { ...http.transport, url: 'http://127.0.0.1:2/mcp' },
    } as McpServerConfig;
    expect(toolCacheKey(moved, { TOKEN: 'a' })).not.toBe(toolCacheKey(http, { TOKEN: 'a' }));
  });
});

describe('McpConnectionManager with a tool-list cache', () => {
  it('waits for a server whose list is not remembered, then remembers it', async () => {
    const w = world('alpha\n');
    writeFileSync(w.files.gate, '');
    const m = w.manager();
    const report = await m.start([w.config], { toolCache: w.cache });
    expect(report.errors).toEqual([]);
    expect(m.serverNames()).toEqual(['s']);
    expect(names(m)).toEqual(['s__alpha']);
    expect(w.cache.read(w.config, {})).toEqual([expect.objectContaining({ name: 'alpha' })]);
  });

  it('offers a remembered list at once, refuses a vanished tool, and uses the new list once the server answers', async () => {
    const w = world('alpha\nbeta\n');
    w.cache.write(w.config, {}, [
      { name: 'alpha', inputSchema: { type: 'object' } },
      { name: 'gone', inputSchema: { type: 'object' } },
    ]);
    writeFileSync(w.files.tools, 'alpha\nbeta\n');
    const m = w.manager();
    let late: McpStartReport | undefined;
    let lateReported!: () => void;
    const lateReport = new Promise<void>((resolve) => {
      lateReported = resolve;
    });
    // The gate is opened only further down: start() resolving proves it did not wait for the server.
    const report = await m.start([w.config], {
      toolCache: w.cache,
      onLateReport: (r) => {
        late = r;
        lateReported();
      },
    });
    expect(report).toEqual({ errors: [], warnings: [] });
    expect(names(m)).toEqual(['s__alpha', 's__gone']);
    const before = m.toolsVersion;

    const vanished = m.callTool('s', 'gone', {});
    const kept = m.callTool('s', 'alpha', {});
    writeFileSync(w.files.gate, '');
    await expect(vanished).rejects.toThrow(
      "MCP server 's' does not offer tool 'gone' any more (its tool list changed since it was remembered)",
    );
    expect((await kept).content).toEqual([{ type: 'text', text: 'called alpha' }]);

    await lateReport;
    expect(late).toEqual({ errors: [], warnings: [] });
    expect(names(m)).toEqual(['s__alpha', 's__beta']);
    expect(m.toolsVersion).toBeGreaterThan(before);
    expect(w.cache.read(w.config, {})?.map((t) => (t as { name: string }).name)).toEqual(['alpha', 'beta']);
  });

  it('a remembered server that fails to start loses its tools, and calls say why', async () => {
    const w = world('alpha\n');
    w.cache.write(w.config, {}, [{ name: 'alpha', inputSchema: { type: 'object' } }]);
    writeFileSync(w.files.crash, '');
    const m = w.manager();
    let lateReported!: (r: McpStartReport) => void;
    const late = new Promise<McpStartReport>((resolve) => {
      lateReported = resolve;
    });
    await m.start([w.config], { toolCache: w.cache, onLateReport: lateReported });
    expect(names(m)).toEqual(['s__alpha']);
    const call = m.callTool('s', 'alpha', {});
    writeFileSync(w.files.gate, '');
    await expect(call).rejects.toThrow(/^MCP server 's' failed to start: .*exit.*3/s);
    const report = await late;
    expect(report.errors).toEqual([{ server: 's', message: expect.stringContaining('crashing as asked') }]);
    expect(names(m)).toEqual([]);
  });
});
