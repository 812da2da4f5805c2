// Job specs travel through Redis in plain text; anyone who can write there could otherwise make every worker
// run their command. The server signs (job id, tenant, spec hash) with an HMAC key shared only with workers;
// a worker recomputes the spec's hash and checks the signature before running anything.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson, type JobSpec, specHash } from './spec.js';

export interface SignedJobData {
  v: 1;
  job_id: string;
  tenant: string;
  spec: JobSpec;
  spec_hash: string;
  created_at: string;
  sig: string;
}

function mac(key: Buffer, data: Omit<SignedJobData, 'sig' | 'spec'>): string {
  const payload = canonicalJson({
    v: data.v,
    job_id: data.job_id,
    tenant: data.tenant,
    spec_hash: data.spec_hash,
    created_at: data.created_at,
  });
  return createHmac('sha256', key).update(payload).digest('hex');
}

export function signJob(key: Buffer, unsigned: Omit<SignedJobData, 'sig'>): SignedJobData {
  return { ...unsigned, sig: mac(key, unsigned) };
}

/** Why the data must not run, or undefined when it is intact and signed with `key` for job `jobId`. */
export function verifyJob(key: Buffer, jobId: string | undefined, data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return 'job data is not an object';
  const d = data as Partial<SignedJobData>;
  if (typeof d.sig !== 'string' || d.sig === '') return 'unsigned job spec';
  if (
    d.v !== 1 ||
    typeof d.job_id !== 'string' ||
    typeof d.tenant !== 'string' ||
    !d.spec ||
    typeof d.created_at !== 'string'
  )
    return 'malformed job data';
  if (d.job_id !== jobId) return `signed for job ${d.job_id}, found as job ${jobId}`;
  let hash: string;
  try {
    hash = specHash(d.spec);
  } catch {
    return 'malformed job spec';
  }
  if (hash !== d.spec_hash) return 'spec does not match its signed hash';
  const expected = Buffer.from(mac(key, d as SignedJobData), 'hex');
  const presented = Buffer.from(d.sig, 'hex');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return 'bad signature';
  return undefined;
}
