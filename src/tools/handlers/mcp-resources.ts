// `list_mcp_resources`, `list_mcp_resource_templates`, `read_mcp_resource`: the model's view of the
// resources MCP servers expose. Listing without a server walks every server that offers resources; one
// failing server is reported in the output instead of failing the whole listing.

import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from '../../config/zod-mini.js';
import type { McpServerConnection } from '../../mcp/connection.js';
import type { McpConnectionManager } from '../../mcp/manager.js';
import { toDataUrl } from '../../mcp/result.js';
import type { FunctionCallOutputContent } from '../../protocol/models.js';
import { ToolInputError } from '../arguments.js';
import { defineTool, described, type ToolDefinition } from '../define-tool.js';
import type { ToolCall, ToolContext, ToolHandler, ToolOutput } from '../types.js';

/** A server that keeps returning cursors is broken; stop rather than loop forever. */
const MAX_PAGES = 100;

const nonEmpty = z.string().check(z.minLength(1));
const listParameters = z.strictObject({
  server: z.optional(
    described(nonEmpty, 'Name of one MCP server. Without it, the resources of every server are listed.'),
  ),
  cursor: z.optional(
    described(nonEmpty, 'The nextCursor of a previous call for the same server, to get the next page.'),
  ),
});

const listTool = defineTool({
  name: 'list_mcp_resources',
  description:
    'Lists resources exposed by MCP servers (files, documents, records and other context the server ' +
    'offers). Read one with read_mcp_resource.',
  parameters: listParameters,
});
const templatesTool = defineTool({
  name: 'list_mcp_resource_templates',
  description:
    'Lists resource templates exposed by MCP servers: parameterised URIs (RFC 6570) you can fill in ' +
    'and read with read_mcp_resource.',
  parameters: listParameters,
});
const readTool = defineTool({
  name: 'read_mcp_resource',
  description: 'Reads one resource from an MCP server, by the server name and the resource URI.',
  parameters: z.strictObject({
    server: described(nonEmpty, 'Name of the MCP server that lists the resource.'),
    uri: described(nonEmpty, 'URI of the resource, as listed.'),
  }),
});

export function createMcpResourceHandlers(manager: McpConnectionManager): ToolHandler[] {
  // Servers still starting in the background (their tools were remembered) are waited for first.
  const started = () => manager.settled();
  return [
    handler(listTool, async (call, ctx) => {
      const args = listTool.parse(call);
      await started();
      return listAcrossServers(manager, args, ctx, 'resources');
    }),
    handler(templatesTool, async (call, ctx) => {
      const args = templatesTool.parse(call);
      await started();
      return listAcrossServers(manager, args, ctx, 'resourceTemplates');
    }),
    handler(readTool, async (call, ctx) => {
      const args = readTool.parse(call);
      await started();
      return readResource(manager, args, ctx);
    }),
  ];
}

function handler(
  tool: Pick<ToolDefinition<z.ZodMiniObject>, 'name' | 'spec'>,
  run: (call: ToolCall, ctx: ToolContext) => Promise<ToolOutput>,
): ToolHandler {
  return { name: tool.name, spec: tool.spec, parallelSafe: true, handle: run };
}

function serverOrThrow(manager: McpConnectionManager, name: string): McpServerConnection {
  const server = manager.getServer(name);
  if (!server) {
    const known = manager.serverNames();
    throw new ToolInputError(
      `no running MCP server named '${name}' (running: ${known.length ? known.join(', ') : 'none'})`,
    );
  }
  if (!server.offersResources) throw new ToolInputError(`MCP server '${name}' does not offer resources`);
  return server;
}

type ListKind = 'resources' | 'resourceTemplates';

async function listPage(
  server: McpServerConnection,
  kind: ListKind,
  cursor: string | undefined,
  signal: AbortSignal,
) {
  if (kind === 'resources') {
    const page = await server.listResources(cursor, signal);
    return { items: page.resources, nextCursor: page.nextCursor };
  }
  const page = await server.listResourceTemplates(cursor, signal);
  return { items: page.resourceTemplates, nextCursor: page.nextCursor };
}

async function listAcrossServers(
  manager: McpConnectionManager,
  args: z.output<typeof listParameters>,
  ctx: ToolContext,
  kind: ListKind,
): Promise<ToolOutput> {
  if (args.server !== undefined) {
    const page = await listPage(serverOrThrow(manager, args.server), kind, args.cursor, ctx.signal);
    const items = page.items.map((item) => ({ server: args.server, ...item }));
    return json({ server: args.server, [kind]: items, nextCursor: page.nextCursor });
  }
  if (args.cursor !== undefined)
    throw new ToolInputError('a cursor belongs to one server: pass `server` with it');
  const servers = manager
    .serverNames()
    .map((name) => manager.getServer(name)!)
    .filter((s) => s.offersResources);
  const results = await Promise.all(
    servers.map(async (server) => {
      try {
        const items: Record<string, unknown>[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const result = await listPage(server, kind, cursor, ctx.signal);
          items.push(...result.items.map((item) => ({ server: server.name, ...item })));
          cursor = result.nextCursor;
          if (!cursor) break;
        }
        return { items };
      } catch (err) {
        return {
          items: [],
          error: { server: server.name, message: err instanceof Error ? err.message : String(err) },
        };
      }
    }),
  );
  const errors = results.flatMap((r) => (r.error ? [r.error] : []));
  return json(
    { [kind]: results.flatMap((r) => r.items), ...(errors.length ? { errors } : {}) },
    errors.length === 0,
  );
}

async function readResource(
  manager: McpConnectionManager,
  args: { server: string; uri: string },
  ctx: ToolContext,
): Promise<ToolOutput> {
  const result = await serverOrThrow(manager, args.server).readResource(args.uri, ctx.signal);
  return readResultToOutput(args.server, args.uri, result);
}

/** Text contents as JSON; image blobs also as input_image parts so the model sees them. */
export function readResultToOutput(server: string, uri: string, result: ReadResourceResult): ToolOutput {
  const images: FunctionCallOutputContent[] = [];
  const contents = result.contents.map((c) => {
    if ('blob' in c && typeof c.blob === 'string' && c.mimeType?.startsWith('image/')) {
      images.push({ type: 'input_image', image_url: toDataUrl(c.blob, c.mimeType) });
      return { uri: c.uri, mimeType: c.mimeType, blob: '(shown as an image)' };
    }
    return c;
  });
  const text = JSON.stringify({ server, uri, contents });
  if (images.length === 0) return { output: text, success: true };
  return { output: [{ type: 'input_text', text }, ...images], success: true };
}

function json(value: unknown, success = true): ToolOutput {
  return { output: JSON.stringify(value), success };
}
