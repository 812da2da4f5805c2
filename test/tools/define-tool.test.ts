import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from '../../src/config/zod-mini.js';
import { applyPatchToolSpec } from '../../src/tools/apply-patch/spec.js';
import { ToolInputError } from '../../src/tools/arguments.js';
import { defineTool, described } from '../../src/tools/define-tool.js';
import { createMcpResourceHandlers } from '../../src/tools/handlers/mcp-resources.js';
import { createPlanToolHandler } from '../../src/tools/handlers/plan.js';
import {
  execCommandTool,
  shellCommandTool,
  shellTool,
  writeStdinTool,
} from '../../src/tools/handlers/shell-specs.js';
import type { ToolCall } from '../../src/tools/types.js';

/** The specs as they were hand-written before defineTool, captured from main (see git log). */
const before = JSON.parse(
  readFileSync(new URL('./fixtures/builtin-tool-specs.json', import.meta.url), 'utf8'),
) as { name: string }[];

const generated = [
  shellTool.spec,
  shellCommandTool.spec,
  execCommandTool.spec,
  writeStdinTool.spec,
  createPlanToolHandler().spec,
  applyPatchToolSpec('function'),
  ...createMcpResourceHandlers({} as never).map((handler) => handler.spec),
];

const call = (name: string, input: string): ToolCall => ({ callId: 'c1', name, kind: 'function', input });

describe('defineTool specs', () => {
  it('covers every built-in function tool of the fixture', () => {
    expect(generated.map((spec) => spec.name)).toEqual(before.map((spec) => spec.name));
  });

  it.each(before.map((spec, i) => [spec.name, i] as const))(
    '%s: the spec from its zod schema is the same bytes as the spec sent before',
    (_name, i) => {
      expect(generated[i]).toStrictEqual(before[i]);
      expect(JSON.stringify(generated[i])).toBe(JSON.stringify(before[i]));
    },
  );
});

describe('modelSchema', () => {
  const toSpec = (schema: z.ZodMiniObject) =>
    defineTool({ name: 't', description: 'd', parameters: schema }).spec.parameters;

  it('keeps the subset of Codex built-in specs: integer as number, no bounds, enums or $schema', () => {
    const parameters = toSpec(
      z.object({
        n: z.number().check(z.int(), z.positive()),
        mode: described(z.enum(['a', 'b']), 'One of: a, b'),
        names: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
        level: described(z.optional(z.enum({ low: 1, high: 2 } as const)), 'The level'),
      }),
    );
    expect(parameters).toStrictEqual({
      type: 'object',
      properties: {
        n: { type: 'number' },
        mode: { type: 'string', description: 'One of: a, b' },
        names: { type: 'array', items: { type: 'string' } },
        level: { type: 'number', description: 'The level' },
      },
      required: ['n', 'mode'],
      additionalProperties: false,
    });
  });

  it('closes every object, nested ones too, and leaves out an empty required list', () => {
    expect(toSpec(z.object({ inner: z.optional(z.object({ a: z.optional(z.string()) })) }))).toStrictEqual({
      type: 'object',
      properties: {
        inner: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
      },
      additionalProperties: false,
    });
  });

  it('refuses what the subset cannot say, naming the tool and the place', () => {
    expect(() => toSpec(z.object({ either: z.union([z.string(), z.number()]) }))).toThrow(
      'defineTool(t): parameters.either is a zod union, outside the schema subset of built-in tools',
    );
    expect(() => toSpec(z.object({ list: z.array(z.record(z.string(), z.string())) }))).toThrow(
      'defineTool(t): parameters.list.items is a zod record',
    );
    expect(() => toSpec(z.looseObject({ a: z.string() }))).toThrow(
      'defineTool(t): parameters is an object with open-ended keys',
    );
    expect(() => toSpec(z.object({ n: z._default(z.number(), 1) }))).toThrow('parameters.n is a zod default');
    expect(() => toSpec(z.object({ mixed: z.enum({ a: 'a', one: 1 } as const) }))).toThrow(
      'parameters.mixed is an enum of mixed types',
    );
  });
});

describe('argument errors', () => {
  const tool = defineTool({
    name: 'demo',
    description: 'd',
    parameters: z.object({ a: z.string(), b: z.number(), c: z.boolean(), d: z.string(), e: z.string() }),
  });

  it('returns the parsed arguments', () => {
    expect(tool.parse(call('demo', '{"a":"x","b":1,"c":true,"d":"","e":"","extra":1}'))).toEqual({
      a: 'x',
      b: 1,
      c: true,
      d: '',
      e: '',
    });
  });

  it('names each wrong field (three at most) in one short line', () => {
    const error = (() => {
      try {
        tool.parse(call('demo', '{"a":1}'));
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ToolInputError);
    expect((error as Error).message).toBe(
      'invalid demo arguments at a: Invalid input: expected string, received number; ' +
        'at b: Invalid input: expected number, received undefined; ' +
        'at c: Invalid input: expected boolean, received undefined; and 2 more',
    );
  });

  it('keeps the JSON errors of parseJsonArguments', () => {
    expect(() => tool.parse(call('demo', '[1]'))).toThrow(
      'failed to parse function arguments for demo: expected a JSON object',
    );
  });
});
