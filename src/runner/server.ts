// The runner's MCP server: the job tools plus the blob resources their links point at. Transport-agnostic;
// the CLI connects it to stdio or streamable HTTP.

import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JobBackend } from './backend.js';
import type { BlobStore } from './store/blobs.js';
import { looksBinary } from './tools/artifact-view.js';
import { BLOB_URI_PREFIX, registerJobTools } from './tools/register.js';

/** resources/read answers at most this much of a blob, and says when it cut. */
export const MAX_RESOURCE_BYTES = 1024 * 1024;

export function createRunnerServer(backend: JobBackend, blobs: BlobStore, version: string): McpServer {
  const server = new McpServer(
    { name: 'conduit-runner', version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'Run heavy or untrusted work as jobs: submit_job (with an idempotency_key), then get_job with wait_s until it finishes, read_job_log for more output, list_artifacts / get_artifact for files (by reference, not inline).',
    },
  );
  registerJobTools(server, backend, blobs);
  server.registerResource(
    'blob',
    new ResourceTemplate(`${BLOB_URI_PREFIX}{hex}`, { list: undefined }),
    { description: 'A job artifact or input by content digest (first 1 MiB).' },
    async (uri, { hex }) => {
      const digest = `sha256:${String(hex)}`;
      const size = await blobs.size(digest);
      if (size === undefined) throw new Error(`no blob ${digest}`);
      const data = await blobs.read(digest, 0, MAX_RESOURCE_BYTES);
      const truncated = size > data.length;
      const meta = { _meta: { size, truncated } };
      if (looksBinary(data.subarray(0, 16_384)))
        return {
          contents: [
            { uri: uri.href, mimeType: 'application/octet-stream', blob: data.toString('base64'), ...meta },
          ],
        };
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: data.toString('utf8'), ...meta }] };
    },
  );
  return server;
}
