// MCP input schemas → function-tool `parameters`. Unlike Codex we keep every keyword the OpenAI-compatible
// wires accept (`enum`, `anyOf`, `default`, `format`, bounds, `$ref`…): dropping them makes models guess.
// We only fill in what some backends require: a `type` on every schema that has no combinator to define
// it, `properties` on objects, and `items` on arrays.

import type { JsonSchema } from '../protocol/models.js';

export type SchemaConversion = { ok: true; parameters: JsonSchema } | { ok: false; error: string };

class SchemaError extends Error {}

const MAX_DEPTH = 64;
/** Keywords whose value is one schema. */
const SINGLE_SCHEMA_KEYS = ['not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems'];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
/** When one of these is present the schema's type comes from elsewhere, so inventing one would narrow it. */
const TYPE_DEFINING_KEYS = ['$ref', 'anyOf', 'oneOf', 'allOf', 'not', 'if'];

export function convertInputSchema(input: unknown): SchemaConversion {
  try {
    if (input === undefined || input === null)
      return { ok: true, parameters: { type: 'object', properties: {} } };
    if (!isPlainObject(input)) throw new SchemaError('the input schema is not a JSON object');
    const declared = input.type;
    if (declared !== undefined && !typeIncludes(declared, 'object')) {
      throw new SchemaError(
        `the input schema's type is ${JSON.stringify(declared)}; tool parameters must be an object`,
      );
    }
    const { $schema: _ignored, ...rest } = input;
    const parameters = normalizeSchema({ ...rest, type: 'object' }, '#', 0);
    return { ok: true, parameters: parameters as JsonSchema };
  } catch (err) {
    if (err instanceof SchemaError) return { ok: false, error: err.message };
    throw err;
  }
}

function normalizeSchema(node: unknown, path: string, depth: number): JsonSchema {
  if (depth > MAX_DEPTH)
    throw new SchemaError(`the schema is nested more than ${MAX_DEPTH} levels deep at ${path}`);
  // `true` (anything) and `false` (nothing) carry no type the model can use; a string is the safest reading.
  if (typeof node === 'boolean') return { type: 'string' };
  if (!isPlainObject(node))
    throw new SchemaError(`the schema at ${path} is ${describe(node)}, not an object`);
  const out: JsonSchema = { ...node };
  for (const key of SINGLE_SCHEMA_KEYS) {
    if (key in node) out[key] = normalizeSchema(node[key], `${path}/${key}`, depth + 1);
  }
  for (const key of SCHEMA_LIST_KEYS) {
    if (!(key in node)) continue;
    const list = node[key];
    if (!Array.isArray(list)) throw new SchemaError(`${path}/${key} must be a list of schemas`);
    out[key] = list.map((item, i) => normalizeSchema(item, `${path}/${key}/${i}`, depth + 1));
  }
  for (const key of SCHEMA_MAP_KEYS) {
    if (!(key in node)) continue;
    const map = node[key];
    if (!isPlainObject(map))
      throw new SchemaError(`${path}/${key} must be an object mapping names to schemas`);
    out[key] = Object.fromEntries(
      Object.entries(map).map(([name, sub]) => [
        name,
        normalizeSchema(sub, `${path}/${key}/${name}`, depth + 1),
      ]),
    );
  }
  if ('items' in node) {
    const items = node.items;
    out.items = Array.isArray(items)
      ? items.map((item, i) => normalizeSchema(item, `${path}/items/${i}`, depth + 1))
      : normalizeSchema(items, `${path}/items`, depth + 1);
  }
  if (isPlainObject(node.additionalProperties)) {
    out.additionalProperties = normalizeSchema(
      node.additionalProperties,
      `${path}/additionalProperties`,
      depth + 1,
    );
  }
  if (
    'required' in node &&
    !(Array.isArray(node.required) && node.required.every((r) => typeof r === 'string'))
  ) {
    throw new SchemaError(`${path}/required must be a list of property names`);
  }
  if ('enum' in node && !Array.isArray(node.enum)) throw new SchemaError(`${path}/enum must be a list`);

  if (out.type === undefined && !TYPE_DEFINING_KEYS.some((key) => key in node)) {
    const inferred = inferType(node);
    if (inferred) out.type = inferred;
  }
  if (typeIncludes(out.type, 'object') && out.properties === undefined) out.properties = {};
  if (typeIncludes(out.type, 'array') && out.items === undefined && out.prefixItems === undefined) {
    out.items = { type: 'string' };
  }
  return out;
}

/** The inference rules of Codex's sanitiser, except that `enum`/`const` take the type of their values. */
export function inferType(node: Record<string, unknown>): string | undefined {
  const has = (...keys: string[]) => keys.some((key) => key in node);
  if (has('properties', 'required', 'additionalProperties', 'patternProperties')) return 'object';
  if (has('items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems')) return 'array';
  if (has('enum', 'const')) {
    const values = 'enum' in node ? (node.enum as unknown[]) : [node.const];
    // Mixed or null values: leave the type out rather than reject some of the allowed values.
    return uniformJsonType(values);
  }
  if (has('format', 'pattern', 'minLength', 'maxLength')) return 'string';
  if (has('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf')) return 'number';
  return 'string';
}

function uniformJsonType(values: unknown[]): string | undefined {
  const types = new Set(values.map(jsonTypeOf));
  if (types.size !== 1) return undefined;
  const [only] = types;
  return only === 'null' ? undefined : only;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

function typeIncludes(type: unknown, name: string): boolean {
  return type === name || (Array.isArray(type) && type.includes(name));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}
