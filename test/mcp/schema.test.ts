import { describe, expect, it } from 'vitest';
import { convertInputSchema } from '../../src/mcp/schema.js';

function convert(input: unknown) {
  const result = convertInputSchema(input);
  if (!result.ok) throw new Error(result.error);
  return result.parameters;
}

describe('MCP input schema → function parameters', () => {
  it('keeps enum, default, anyOf, format and bounds', () => {
    const schema = {
      type: 'object',
      properties: {
        unit: { type: 'string', enum: ['c', 'f'], default: 'c', description: 'unit' },
        when: { type: 'string', format: 'date-time' },
        count: { type: 'integer', minimum: 1, maximum: 10 },
        id: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
      required: ['unit'],
      additionalProperties: false,
    };
    expect(convert(schema)).toEqual(schema);
  });

  it('fills in a missing properties object and top-level type', () => {
    expect(convert({})).toEqual({ type: 'object', properties: {} });
    expect(convert(undefined)).toEqual({ type: 'object', properties: {} });
    expect(convert({ required: [] })).toEqual({ type: 'object', properties: {}, required: [] });
  });

  it('infers missing types from the keywords present', () => {
    const out = convert({
      properties: {
        obj: { properties: { a: {} } },
        arr: { items: { type: 'number' } },
        strEnum: { enum: ['x', 'y'] },
        numEnum: { enum: [1, 2] },
        mixed: { enum: ['x', 1] },
        fmt: { format: 'email' },
        bounded: { minimum: 0 },
        bare: { description: 'anything' },
        tuple: { prefixItems: [{ type: 'string' }] },
      },
    }) as { properties: Record<string, Record<string, unknown>> };
    const p = out.properties;
    expect(p.obj).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
    expect(p.arr.type).toBe('array');
    expect(p.strEnum.type).toBe('string');
    expect(p.numEnum.type).toBe('number');
    expect(p.mixed.type).toBeUndefined();
    expect(p.fmt.type).toBe('string');
    expect(p.bounded.type).toBe('number');
    expect(p.bare.type).toBe('string');
    expect(p.tuple).toEqual({ type: 'array', prefixItems: [{ type: 'string' }] });
  });

  it('does not invent a type where $ref or a combinator defines it', () => {
    const out = convert({
      properties: {
        ref: { $ref: '#/$defs/Thing' },
        either: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
      },
      $defs: { Thing: { properties: { n: { type: 'number' } } } },
    }) as Record<string, Record<string, Record<string, unknown>>>;
    expect(out.properties.ref).toEqual({ $ref: '#/$defs/Thing' });
    expect(out.properties.either.type).toBeUndefined();
    expect(out.$defs.Thing).toEqual({ type: 'object', properties: { n: { type: 'number' } } });
  });

  it('recurses into items, combinators and schema-valued additionalProperties', () => {
    const out = convert({
      properties: {
        list: { type: 'array', items: { properties: {} } },
        bare: { type: 'array' },
        map: { type: 'object', additionalProperties: { enum: [true, false] } },
        all: { allOf: [{ required: ['a'] }] },
        yes: true,
      },
    }) as { properties: Record<string, Record<string, unknown>> };
    const p = out.properties;
    expect(p.list.items).toEqual({ type: 'object', properties: {} });
    expect(p.bare.items).toEqual({ type: 'string' });
    expect(p.map).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: { enum: [true, false], type: 'boolean' },
    });
    expect(p.all.allOf).toEqual([{ type: 'object', properties: {}, required: ['a'] }]);
    expect(p.yes).toEqual({ type: 'string' });
  });

  it('drops $schema, which only costs tokens', () => {
    expect(
      convert({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: {} }),
    ).toEqual({
      type: 'object',
      properties: {},
    });
  });

  it('keeps a nullable type array', () => {
    const out = convert({ properties: { n: { type: ['string', 'null'] } } }) as Record<
      string,
      Record<string, unknown>
    >;
    expect(out.properties.n).toEqual({ type: ['string', 'null'] });
  });

  it('rejects what cannot be parameters, naming where', () => {
    expect(convertInputSchema({ type: 'string' })).toEqual({
      ok: false,
      error: `the input schema's type is "string"; tool parameters must be an object`,
    });
    expect(convertInputSchema([1])).toEqual({ ok: false, error: 'the input schema is not a JSON object' });
    expect(convertInputSchema({ properties: { a: 5 } })).toEqual({
      ok: false,
      error: 'the schema at #/properties/a is a number, not an object',
    });
    expect(convertInputSchema({ properties: [] })).toMatchObject({
      ok: false,
      error: expect.stringContaining('#/properties'),
    });
    expect(convertInputSchema({ required: 'a' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('#/required'),
    });
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 70; i++) deep = { type: 'array', items: deep };
    expect(convertInputSchema({ properties: { deep } })).toMatchObject({
      ok: false,
      error: expect.stringContaining('nested'),
    });
  });
});
