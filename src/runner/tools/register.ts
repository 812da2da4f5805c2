// The seven job tools on an McpServer. Each answer is bounded (log tails, pages and inline text have caps;
// artifacts go by reference) and carries both structured content and a JSON text for older clients.

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { IdempotencyConflictError, type JobBackend, readLogPage, waitForJob } from '../backend.js';
import type { LogStream } from '../log-cap.js';
import { type ArtifactEntry, readManifest } from '../outputs.js';
import { type JobRecord, TERMINAL_STATES } from '../spec.js';
import type { BlobStore } from '../store/blobs.js';
import { artifactText, summarizeArtifact } from './artifact-view.js';
import { normalizeSpec } from './normalize.js';
import * as s from './schemas.js';

export const BLOB_URI_PREFIX = 'conduit-runner://blobs/sha256/';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

function ok(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

function fail(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

function unknownJob(jobId: string): CallToolResult {
  return fail(`unknown job_id ${JSON.stringify(jobId)}: no such job (ids come from submit_job)`);
}

async function summary(
  backend: JobBackend,
  record: JobRecord,
  tailBytes: number,
): Promise<Record<string, unknown>> {
  const { spec_hash: _hash, artifacts_manifest: _manifest, ...rest } = record;
  if (tailBytes === 0) return rest;
  const page = await readLogPage(backend, record.job_id, 'combined', -tailBytes, tailBytes);
  return {
    ...rest,
    log_tail: { text: page.text, truncated: page.offset > 0, total_bytes: page.total_bytes },
  };
}

/** Waits up to `waitS`, turning job progress into MCP progress notifications when the caller asked for them. */
async function waitWithProgress(backend: JobBackend, jobId: string, waitS: number, extra: Extra) {
  const token = extra._meta?.progressToken;
  let progress = 0;
  return waitForJob(
    backend,
    jobId,
    waitS * 1000,
    (event) => {
      if (token === undefined) return;
      progress++;
      void extra
        .sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress, message: event.message ?? '' },
        })
        .catch(() => {});
    },
    extra.signal,
  );
}

async function artifactsOf(
  backend: JobBackend,
  blobs: BlobStore,
  jobId: string,
): Promise<ArtifactEntry[] | CallToolResult> {
  const record = await backend.get(jobId);
  if (!record) return unknownJob(jobId);
  if (!TERMINAL_STATES.has(record.state))
    return fail(
      `job ${jobId} is ${record.state}; artifacts exist once it has finished (get_job with wait_s)`,
    );
  if (!record.artifacts_manifest) return [];
  return readManifest(blobs, record.artifacts_manifest);
}

export function registerJobTools(server: McpServer, backend: JobBackend, blobs: BlobStore): void {
  server.registerTool(
    'submit_job',
    {
      description:
        'Run a command or script as an isolated batch job. Returns a job_id at once (or the finished job if it ends within wait_s); poll with get_job, then fetch logs and artifacts by reference.',
      inputSchema: s.submitJobArgs,
      outputSchema: s.submitJobOutput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async (args, extra) => {
      const spec = normalizeSpec(args);
      if ('error' in spec) return fail(`submit_job: ${spec.error}`);
      try {
        const { record, deduplicated } = await backend.submit(spec, args.idempotency_key);
        const waited = args.wait_s
          ? await waitWithProgress(backend, record.job_id, args.wait_s, extra)
          : record;
        return ok({ ...(await summary(backend, waited ?? record, 2048)), deduplicated });
      } catch (err) {
        if (err instanceof IdempotencyConflictError) return fail(`submit_job: ${err.message}`);
        throw err;
      }
    },
  );

  server.registerTool(
    'get_job',
    {
      description:
        'State, exit code, timings, attempt and log tail of a job. wait_s long-polls until it finishes (progress notifications meanwhile).',
      inputSchema: s.getJobArgs,
      outputSchema: s.jobSummaryShape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => {
      const record = args.wait_s
        ? await waitWithProgress(backend, args.job_id, args.wait_s, extra)
        : await backend.get(args.job_id);
      if (!record) return unknownJob(args.job_id);
      return ok(await summary(backend, record, args.log_tail_bytes ?? 2048));
    },
  );

  server.registerTool(
    'read_job_log',
    {
      description: 'A page of a job log (stdout, stderr or both interleaved); continue from next_offset.',
      inputSchema: s.readJobLogArgs,
      outputSchema: s.readJobLogOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const record = await backend.get(args.job_id);
      if (!record) return unknownJob(args.job_id);
      const stream = (args.stream ?? 'combined') as LogStream;
      const page = await readLogPage(
        backend,
        args.job_id,
        stream,
        args.offset ?? 0,
        args.max_bytes ?? 16_384,
      );
      return ok({ ...page, job_finished: TERMINAL_STATES.has(record.state) });
    },
  );

  server.registerTool(
    'cancel_job',
    {
      description:
        'Cancel a queued or running job (its processes are killed). Cancelling a finished job changes nothing.',
      inputSchema: s.cancelJobArgs,
      outputSchema: s.cancelJobOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args) => {
      const result = await backend.cancel(args.job_id, args.reason ?? 'cancel_job');
      if (!result) return unknownJob(args.job_id);
      return ok({ job_id: args.job_id, state: result.record.state, was_running: result.was_running });
    },
  );

  server.registerTool(
    'list_artifacts',
    {
      description: 'Files a finished job kept (its outputs globs): path, size, sha256, mime. Paged.',
      inputSchema: s.listArtifactsArgs,
      outputSchema: s.listArtifactsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const entries = await artifactsOf(backend, blobs, args.job_id);
      if (!Array.isArray(entries)) return entries;
      const matching = entries.filter((entry) => entry.path.startsWith(args.prefix ?? ''));
      const start = args.cursor ? Number(args.cursor) : 0;
      if (!Number.isInteger(start) || start < 0 || start > matching.length)
        return fail(`list_artifacts: cursor ${JSON.stringify(args.cursor)} is not one this tool returned`);
      const limit = args.limit ?? 50;
      const items = matching.slice(start, start + limit);
      const next = start + items.length < matching.length ? String(start + items.length) : undefined;
      return ok({ items, total: matching.length, ...(next ? { next_cursor: next } : {}) });
    },
  );

  server.registerTool(
    'get_artifact',
    {
      description:
        'One artifact of a job: a summary (default), inline UTF-8 text up to max_bytes, or a resource link to read it by reference.',
      inputSchema: s.getArtifactArgs,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const entries = await artifactsOf(backend, blobs, args.job_id);
      if (!Array.isArray(entries)) return entries;
      const entry = entries.find((candidate) => candidate.path === args.path);
      if (!entry)
        return fail(
          `get_artifact: job ${args.job_id} has no artifact ${JSON.stringify(args.path)} (see list_artifacts)`,
        );
      if (!entry.sha256)
        return fail(`get_artifact: ${args.path} was not kept (${entry.skipped}, ${entry.size} bytes)`);
      const stored = entry as ArtifactEntry & { sha256: string };
      const mode = args.mode ?? 'summary';
      if (mode === 'summary') return ok(await summarizeArtifact(blobs, stored));
      if (mode === 'text') {
        const text = await artifactText(blobs, stored, args.max_bytes ?? 16_384);
        if ('error' in text) return fail(`get_artifact: ${text.error}`);
        return ok({ path: entry.path, size: entry.size, ...text });
      }
      return {
        content: [
          {
            type: 'resource_link',
            uri: `${BLOB_URI_PREFIX}${stored.sha256.slice('sha256:'.length)}`,
            name: entry.path,
            mimeType: entry.mime,
            size: entry.size,
          },
        ],
      };
    },
  );

  server.registerTool(
    'put_input',
    {
      description:
        'Upload a file for jobs (text or base64, up to 8 MiB). Returns its digest; pass {path, digest} in submit_job inputs.',
      inputSchema: s.putInputArgs,
      outputSchema: s.putInputOutput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async (args) => {
      const encoding = args.encoding ?? 'utf8';
      if (encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(args.content))
        return fail('put_input: content is not valid base64');
      const data = Buffer.from(args.content, encoding);
      if (data.length > s.MAX_INPUT_BYTES)
        return fail(`put_input: ${data.length} bytes, at most ${s.MAX_INPUT_BYTES} per input`);
      return ok({ name: args.name, digest: await blobs.put(data), size: data.length });
    },
  );
}
