import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_TOOL_NAME_LENGTH, qualifyToolNames, sanitizeToolName } from '../../src/mcp/names.js';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const VALID = /^[A-Za-z0-9_-]{1,64}$/;

describe('qualified MCP tool names', () => {
  it('joins server and tool with __ and sorts by the result', () => {
    const { tools, skipped } = qualifyToolNames([
      { server: 'zeta', tool: 'a' },
      { server: 'alpha', tool: 'run' },
      { server: 'alpha', tool: 'list' },
    ]);
    expect(tools.map((t) => t.qualifiedName)).toEqual(['alpha__list', 'alpha__run', 'zeta__a']);
    expect(tools[0]).toEqual({ server: 'alpha', tool: 'list', qualifiedName: 'alpha__list' });
    expect(skipped).toEqual([]);
  });

  it('replaces characters outside [A-Za-z0-9_-], including non-ASCII ones', () => {
    expect(sanitizeToolName('files.read/v2 now')).toBe('files_read_v2_now');
    const { tools } = qualifyToolNames([{ server: 'wx', tool: 'météo☀' }]);
    expect(tools[0].qualifiedName).toBe('wx__m_t_o_');
    expect(tools[0].qualifiedName).toMatch(VALID);
  });

  it('keeps a name of exactly 64 characters and hashes one of 65', () => {
    const server = 's';
    const tool64 = 'a'.repeat(64 - 3);
    const tool65 = 'b'.repeat(65 - 3);
    const { tools } = qualifyToolNames([
      { server, tool: tool64 },
      { server, tool: tool65 },
    ]);
    const at64 = tools.find((t) => t.tool === tool64)!;
    const at65 = tools.find((t) => t.tool === tool65)!;
    expect(at64.qualifiedName).toBe(`s__${tool64}`);
    expect(at64.qualifiedName).toHaveLength(MAX_TOOL_NAME_LENGTH);
    expect(at65.qualifiedName).toBe(`s__${'b'.repeat(21)}${sha1(`s__${tool65}`)}`);
    expect(at65.qualifiedName).toHaveLength(MAX_TOOL_NAME_LENGTH);
  });

  it('hashes the full original name, so long names differing only at the end stay distinct', () => {
    const long = 'x'.repeat(100);
    const { tools } = qualifyToolNames([
      { server: 'srv', tool: `${long}1` },
      { server: 'srv', tool: `${long}2` },
    ]);
    expect(new Set(tools.map((t) => t.qualifiedName)).size).toBe(2);
    for (const t of tools) expect(t.qualifiedName).toMatch(VALID);
    expect(tools.map((t) => t.qualifiedName.slice(24)).sort()).toEqual(
      [sha1(`srv__${long}1`), sha1(`srv__${long}2`)].sort(),
    );
  });

  it('resolves collisions deterministically, whatever the input order', () => {
    const refs = [
      { server: 'a', tool: 'x.y' },
      { server: 'a', tool: 'x_y' },
      { server: 'a', tool: 'x y' },
      { server: 'a__b', tool: 'c' },
      { server: 'a', tool: 'b__c' },
    ];
    const first = qualifyToolNames(refs);
    const reversed = qualifyToolNames([...refs].reverse());
    expect(reversed).toEqual(first);
    const names = first.tools.map((t) => t.qualifiedName);
    expect(new Set(names).size).toBe(refs.length);
    for (const name of names) expect(name).toMatch(VALID);
    // The pair that sorts first keeps the plain name; the others get the hashed form.
    expect(first.tools.find((t) => t.tool === 'x y')?.qualifiedName).toBe('a__x_y');
    expect(first.tools.find((t) => t.server === 'a' && t.tool === 'b__c')?.qualifiedName).toBe('a__b__c');
    expect(first.tools.find((t) => t.server === 'a__b')?.qualifiedName).toBe(`a__b__c${sha1('a__b\u0000c')}`);
  });

  it('maps every qualified name back to its server and tool', () => {
    const refs = [
      { server: 'fs', tool: 'read' },
      { server: 'mem', tool: 'y'.repeat(90) },
    ];
    const { tools } = qualifyToolNames(refs);
    expect(
      tools.map(({ server, tool }) => ({ server, tool })).sort((a, b) => a.server.localeCompare(b.server)),
    ).toEqual(refs);
  });
});
