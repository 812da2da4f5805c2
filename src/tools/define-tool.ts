// defineTool(): a built-in function tool declared once, as a zod schema, from which come both the JSON
// spec the model sees and the parser of the model's arguments (the MCP SDK's habit), so the two cannot
// drift apart.
//
// The spec keeps to the schema subset of Codex's built-in tools (modelSchema, below): models are trained on
// those exact specs, so bounds, enums and integer-ness stay in the parser, and a description says in words
// what the model must know (like the statuses of update_plan).

import * as z from '../config/zod-mini.js';
import type { JsonSchema, ToolSpec } from '../protocol/models.js';
import { parseJsonArguments, ToolInputError } from './arguments.js';
import type { ToolCall } from './types.js';

export type FunctionToolSpec = Extract<ToolSpec, { type: 'function' }>;

/** A zod object schema: a function tool's parameters are always a JSON object. */
type Parameters = z.ZodMiniObject;

export interface ToolDefinition<P extends Parameters> {
  name: string;
  /** What the model sees; built on first use and kept. */
  readonly spec: FunctionToolSpec;
  /** A function call's arguments, validated; throws a ToolInputError the model can read. */
  parse(call: ToolCall): z.output<P>;
}

export function defineTool<P extends Parameters>(definition: {
  name: string;
  description: string;
  parameters: P;
}): ToolDefinition<P> {
  const { name, description, parameters } = definition;
  let spec: FunctionToolSpec | undefined;
  return {
    name,
    get spec() {
      spec ??= {
        type: 'function',
        name,
        description,
        strict: false,
        parameters: modelSchema(parameters, name, 'parameters'),
      };
      return spec;
    },
    parse: (call) => parseArguments(call, parameters),
  };
}

/** `schema` with the description the model sees for it. */
export function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description)) as T;
}

/** How many argument problems one error names; the model fixes them in one retry rather than several. */
const MAX_ISSUES = 3;

/** Parses a call's JSON arguments against `schema`; a mismatch names each wrong field for the model. */
function parseArguments<S extends z.ZodMiniType>(call: ToolCall, schema: S): z.output<S> {
  const parsed = schema.safeParse(parseJsonArguments(call));
  if (parsed.success) return parsed.data;
  const { issues } = parsed.error;
  const named = issues
    .slice(0, MAX_ISSUES)
    .map((issue) => `at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  if (issues.length > MAX_ISSUES) named.push(`and ${issues.length - MAX_ISSUES} more`);
  throw new ToolInputError(`invalid ${call.name} arguments ${named.join('; ')}`);
}

type Schema = z.core.$ZodType;

/**
 * A zod schema → the subset of Codex's built-in tool specs (`JsonSchema` in codex-rs): `boolean`, `string`
 * (a string enum too), `number` (integers too), `array` with `items`, and `object` with `properties`,
 * `required` and `additionalProperties: false`, each with an optional description (`described()`).
 * Every check (bounds, lengths, integer-ness) stays in the parser. Keys come in one fixed order (type,
 * items, properties, required, description, additionalProperties), that of the specs written by hand
 * before. A schema outside the subset (a union, a record, a default…) throws, naming the tool and place.
 *
 * Written here rather than post-processing `z.toJSONSchema`: that generator adds ~44 KB to the start-up
 * bundle and ~4 ms (cold) to build the specs of one `conduit exec`, against ~0.3 ms for this walk.
 */
export function modelSchema(schema: Schema, tool: string, path: string, inherited?: string): JsonSchema {
  const fail = (what: string): never => {
    throw new Error(`defineTool(${tool}): ${path} is ${what}, outside the schema subset of built-in tools`);
  };
  const def = (schema as z.core.$ZodTypes)._zod.def;
  const description = inherited ?? z.globalRegistry.get(schema)?.description;
  // Optional is a property's business (`required`), not its value's.
  if (def.type === 'optional') return modelSchema(def.innerType, tool, path, description);
  const out: JsonSchema = {};
  switch (def.type) {
    case 'boolean':
    case 'string':
    case 'number':
      out.type = def.type;
      break;
    case 'enum': {
      const types = new Set(Object.values(def.entries).map((value) => typeof value));
      if (types.size !== 1) fail('an enum of mixed types');
      out.type = types.has('number') ? 'number' : 'string';
      break;
    }
    case 'array':
      out.type = 'array';
      out.items = modelSchema(def.element, tool, `${path}.items`);
      break;
    case 'object': {
      if (def.catchall && def.catchall._zod.def.type !== 'never') fail('an object with open-ended keys');
      const entries = Object.entries(def.shape);
      out.type = 'object';
      out.properties = Object.fromEntries(
        entries.map(([key, sub]) => [key, modelSchema(sub, tool, `${path}.${key}`)]),
      );
      const required = entries.filter(([, sub]) => sub._zod.def.type !== 'optional').map(([key]) => key);
      if (required.length > 0) out.required = required;
      break;
    }
    default:
      fail(`a zod ${def.type}`);
  }
  if (description !== undefined) out.description = description;
  if (def.type === 'object') out.additionalProperties = false;
  return out;
}
