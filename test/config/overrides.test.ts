import { describe, expect, it } from 'vitest';
import { applyOverride, parseCliOverride } from '../../src/config/overrides.js';
import { errorOf, load } from './helpers.js';

describe('-c key=value parsing', () => {
  it('parses TOML values', () => {
    expect(parseCliOverride('x=true').value).toBe(true);
    expect(parseCliOverride('x=42').value).toBe(42);
    expect(parseCliOverride('x=[1, 2]').value).toEqual([1, 2]);
    expect(parseCliOverride('x="quoted"').value).toBe('quoted');
    expect(parseCliOverride('x={a=1, b="c"}').value).toEqual({ a: 1, b: 'c' });
  });

  it('falls back to a bare string, stripping surrounding quotes', () => {
    expect(parseCliOverride('model=o3').value).toBe('o3');
    expect(parseCliOverride("model='o3").value).toBe("'o3");
    expect(parseCliOverride('url=http://x:1/v1').value).toBe('http://x:1/v1');
    expect(parseCliOverride('a = some text ').value).toBe('some text');
  });

  it('splits at the first = only', () => {
    expect(parseCliOverride('developer_instructions=a=b').value).toBe('a=b');
  });

  it('walks dotted and quoted keys', () => {
    expect(parseCliOverride('a.b.c=1').path).toEqual(['a', 'b', 'c']);
    expect(parseCliOverride('projects."/a b".trust_level=trusted').path).toEqual([
      'projects',
      '/a b',
      'trust_level',
    ]);
  });

  it('creates tables and replaces non-tables on the way', () => {
    const tree: Record<string, unknown> = { a: 5 };
    applyOverride(tree, parseCliOverride('a.b.c=1'));
    expect(tree).toEqual({ a: { b: { c: 1 } } });
  });

  it('rejects an empty key and a missing =', async () => {
    expect(() => parseCliOverride('=x')).toThrow('-c =x: the key is empty');
    expect(() => parseCliOverride('model')).toThrow('-c model: expected key=value');
  });

  it('applies tables through -c and reports errors against the -c', async () => {
    const { config } = await load(undefined, {
      cliOverrides: [
        'model_providers.local={name="L", base_url="http://127.0.0.1:1/v1"}',
        'model_provider=local',
      ],
    });
    expect(config.modelProvider.baseUrl).toBe('http://127.0.0.1:1/v1');
    expect(config.modelProvider.wireApi).toBe('chat');
    expect(await errorOf(load(undefined, { cliOverrides: ['approval_policy=sometimes'] }))).toBe(
      '-c approval_policy=sometimes: approval_policy: expected "untrusted" or "on-failure" or "on-request" or "never", got "sometimes"',
    );
  });
});
