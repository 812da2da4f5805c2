// submit_job arguments -> a normalised JobSpec, or the first problem in words naming the argument. The checks
// the JSON Schema cannot express live here (exactly one of command/script, relative paths, secrets in env).

import { checkRelativePath } from '../paths.js';
import { DEFAULT_RESOURCES, type JobSpec } from '../spec.js';
import { DIGEST_PATTERN } from '../store/blobs.js';

export interface SubmitArgs {
  environment?: string;
  command?: string[];
  script?: string;
  cwd?: string;
  env?: Record<string, string>;
  inputs?: { path: string; digest: string }[];
  resources?: Partial<JobSpec['resources']>;
  outputs?: string[];
  retryable?: boolean;
}

export const ENVIRONMENTS = ['host'];
const MAX_ENV = 64;
const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

export function normalizeSpec(args: SubmitArgs): JobSpec | { error: string } {
  const environment = args.environment ?? 'host';
  if (!ENVIRONMENTS.includes(environment))
    return {
      error: `environment ${JSON.stringify(environment)}: this runner offers ${ENVIRONMENTS.map((e) => JSON.stringify(e)).join(', ')} (OCI images need a container executor, not available here)`,
    };
  if ((args.command === undefined) === (args.script === undefined))
    return { error: 'give exactly one of command (an argv array) or script (a shell script)' };
  const cwd = checkRelativePath(args.cwd ?? '.', 'cwd');
  if (typeof cwd !== 'string') return cwd;
  const env = args.env ?? {};
  const names = Object.keys(env);
  if (names.length > MAX_ENV) return { error: `env: ${names.length} variables, at most ${MAX_ENV}` };
  const secret = names.find((name) => SECRET_NAME.test(name));
  if (secret)
    return {
      error: `env.${secret}: looks like a secret; job specs are stored in plain text, so pass no secret values to jobs`,
    };
  const inputs = [];
  for (const [i, input] of (args.inputs ?? []).entries()) {
    const path = checkRelativePath(input.path, `inputs[${i}].path`);
    if (typeof path !== 'string') return path;
    if (path === '.') return { error: `inputs[${i}].path: names the workspace itself, not a file` };
    if (!DIGEST_PATTERN.test(input.digest))
      return { error: `inputs[${i}].digest: expected "sha256:<64 hex>" as returned by put_input` };
    inputs.push({ path, digest: input.digest });
  }
  for (const [i, glob] of (args.outputs ?? []).entries()) {
    const rel = checkRelativePath(glob, `outputs[${i}]`);
    if (typeof rel !== 'string') return rel;
  }
  return {
    environment,
    ...(args.command ? { command: args.command } : { script: args.script }),
    cwd,
    env,
    inputs,
    resources: { ...DEFAULT_RESOURCES, ...args.resources },
    outputs: args.outputs ?? [],
    retryable: args.retryable ?? false,
  };
}
