// The job tools' arguments and results, each defined once in zod: the SDK validates calls against them and
// advertises them as JSON Schemas (strict objects, bounded strings and arrays) in `tools/list`.

import { z } from 'zod';
import { JOB_STATES } from '../spec.js';

export const MAX_WAIT_S = 60;
export const MAX_LOG_PAGE = 65_536;
export const MAX_LOG_TAIL = 8_192;
export const MAX_TEXT_BYTES = 65_536;
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

const waitS = z
  .number()
  .min(0)
  .max(MAX_WAIT_S)
  .optional()
  .describe(`Seconds to wait for the job to finish before answering (0-${MAX_WAIT_S}, default 0).`);
export const jobId = z.string().min(1).max(64).describe('The job_id submit_job returned.');

export const resourcesShape = z.strictObject({
  cpu: z.number().min(0.1).max(64).optional().describe('CPUs (default 1); scales the CPU-time limit.'),
  memory_mb: z.number().int().min(64).max(262_144).optional().describe('Memory limit in MiB (default 1024).'),
  disk_mb: z
    .number()
    .int()
    .min(1)
    .max(1_048_576)
    .optional()
    .describe('Largest file the job may write, MiB (default 2048).'),
  timeout_s: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .optional()
    .describe('Wall-clock limit in seconds (default 600).'),
  network: z.enum(['none', 'on']).optional().describe('Network access (default none).'),
});

export const submitJobArgs = {
  idempotency_key: z
    .string()
    .min(8)
    .max(128)
    .describe(
      'Required. The same key with the same spec returns the existing job instead of running it again.',
    ),
  environment: z
    .string()
    .max(200)
    .optional()
    .describe('Execution environment (default "host": the host toolchain, read-only).'),
  command: z
    .array(z.string().max(32_768))
    .min(1)
    .max(256)
    .optional()
    .describe('argv to run (give this or script).'),
  script: z
    .string()
    .min(1)
    .max(65_536)
    .optional()
    .describe('Shell script run by /bin/sh -e (give this or command).'),
  cwd: z.string().max(1024).optional().describe('Directory inside the job workspace (default ".").'),
  env: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .max(128),
      z.string().max(4096),
    )
    .optional()
    .describe('Environment variables (at most 64; no secret values: specs are stored in plain text).'),
  inputs: z
    .array(z.strictObject({ path: z.string().min(1).max(1024), digest: z.string().max(80) }))
    .max(256)
    .optional()
    .describe('Files to place in the workspace: {path, digest} with digests from put_input.'),
  resources: resourcesShape.optional(),
  outputs: z
    .array(z.string().min(1).max(1024))
    .max(64)
    .optional()
    .describe('Globs of workspace files to keep as artifacts.'),
  retryable: z.boolean().optional().describe('Safe to run again if a worker dies mid-run (default false).'),
  wait_s: waitS,
};

export const getJobArgs = {
  job_id: jobId,
  wait_s: waitS,
  log_tail_bytes: z
    .number()
    .int()
    .min(0)
    .max(MAX_LOG_TAIL)
    .optional()
    .describe('Bytes of log tail (default 2048).'),
};

export const readJobLogArgs = {
  job_id: jobId,
  stream: z.enum(['stdout', 'stderr', 'combined']).optional().describe('Which stream (default combined).'),
  offset: z.number().int().optional().describe('Byte offset; negative counts from the end (default 0).'),
  max_bytes: z.number().int().min(1).max(MAX_LOG_PAGE).optional().describe('Page size (default 16384).'),
};

export const cancelJobArgs = {
  job_id: jobId,
  reason: z.string().max(500).optional(),
};

export const listArtifactsArgs = {
  job_id: jobId,
  prefix: z.string().max(1024).optional(),
  cursor: z.string().max(32).optional().describe('next_cursor of the previous page.'),
  limit: z.number().int().min(1).max(200).optional().describe('Items per page (default 50).'),
};

export const getArtifactArgs = {
  job_id: jobId,
  path: z.string().min(1).max(1024),
  mode: z
    .enum(['summary', 'text', 'link'])
    .optional()
    .describe('summary (default): size, digest, head/tail lines; text: inline UTF-8; link: a resource link.'),
  max_bytes: z
    .number()
    .int()
    .min(1)
    .max(MAX_TEXT_BYTES)
    .optional()
    .describe('For text mode (default 16384).'),
};

export const putInputArgs = {
  name: z.string().min(1).max(256).describe('A label for the input (not part of its digest).'),
  content: z
    .string()
    .max(Math.ceil((MAX_INPUT_BYTES * 4) / 3) + 4)
    .describe('The bytes, as text or base64.'),
  encoding: z.enum(['utf8', 'base64']).optional().describe('How content is encoded (default utf8).'),
};

const jobError = z.object({ code: z.string(), message: z.string() });

export const jobSummaryShape = {
  job_id: z.string(),
  state: z.enum(JOB_STATES),
  created_at: z.string(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  attempt: z.number(),
  worker: z.string().optional(),
  exit_code: z.number().optional(),
  signal: z.string().optional(),
  error: jobError.optional(),
  max_rss_mb: z.number().optional(),
  artifacts_count: z.number().optional(),
  log_tail: z.object({ text: z.string(), truncated: z.boolean(), total_bytes: z.number() }).optional(),
};

export const submitJobOutput = { ...jobSummaryShape, deduplicated: z.boolean() };

export const readJobLogOutput = {
  text: z.string(),
  offset: z.number(),
  next_offset: z.number(),
  eof: z.boolean(),
  total_bytes: z.number(),
  job_finished: z.boolean(),
};

export const cancelJobOutput = { job_id: z.string(), state: z.enum(JOB_STATES), was_running: z.boolean() };

const artifactItem = z.object({
  path: z.string(),
  size: z.number(),
  sha256: z.string().optional(),
  mime: z.string(),
  skipped: z.string().optional(),
});

export const listArtifactsOutput = {
  items: z.array(artifactItem),
  next_cursor: z.string().optional(),
  total: z.number(),
};

export const putInputOutput = { name: z.string(), digest: z.string(), size: z.number() };
