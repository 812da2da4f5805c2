// What get_artifact answers without sending the artifact itself: a summary (size, digest, head and tail lines,
// top-level JSON keys) or a bounded inline text. Binary content is never inlined.

import type { ArtifactEntry } from '../outputs.js';
import type { BlobStore } from '../store/blobs.js';

const SAMPLE_BYTES = 16_384;
const LINES = 10;
const LINE_CHARS = 200;
const MAX_JSON_PARSE = 1024 * 1024;

export function looksBinary(sample: Buffer): boolean {
  if (sample.includes(0)) return true;
  const text = sample.toString('utf8');
  // More than a few replacement characters: not UTF-8 (a cut at the sample's end makes at most one).
  return (text.match(/\uFFFD/g)?.length ?? 0) > 1;
}

function clip(line: string): string {
  return line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS)}…` : line;
}

export async function summarizeArtifact(
  blobs: BlobStore,
  entry: ArtifactEntry & { sha256: string },
): Promise<Record<string, unknown>> {
  const head = await blobs.read(entry.sha256, 0, SAMPLE_BYTES);
  const summary: Record<string, unknown> = {
    path: entry.path,
    size: entry.size,
    sha256: entry.sha256,
    mime: entry.mime,
  };
  if (looksBinary(head)) return { ...summary, binary: true };
  const lines = head.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  summary.head = lines.slice(0, LINES).map(clip);
  if (head.length === entry.size) {
    summary.lines = lines.length;
    if (lines.length > LINES) summary.tail = lines.slice(-LINES).map(clip);
  } else {
    const tail = (await blobs.read(entry.sha256, entry.size - SAMPLE_BYTES, SAMPLE_BYTES))
      .toString('utf8')
      .split('\n');
    summary.tail = tail
      .filter((line) => line !== '')
      .slice(-LINES)
      .map(clip);
  }
  if (entry.mime === 'application/json' && entry.size <= MAX_JSON_PARSE) {
    try {
      const value = JSON.parse((await blobs.read(entry.sha256)).toString('utf8')) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value))
        summary.json_keys = Object.keys(value).slice(0, 50);
      else if (Array.isArray(value)) summary.json_array_length = value.length;
    } catch {
      summary.json_error = 'not valid JSON';
    }
  }
  return summary;
}

export async function artifactText(
  blobs: BlobStore,
  entry: ArtifactEntry & { sha256: string },
  maxBytes: number,
): Promise<{ text: string; truncated: boolean } | { error: string }> {
  const data = await blobs.read(entry.sha256, 0, maxBytes);
  if (looksBinary(data.subarray(0, SAMPLE_BYTES)))
    return { error: `${entry.path} is binary (${entry.mime}); use mode "link" to get a reference to it` };
  return { text: data.toString('utf8'), truncated: entry.size > data.length };
}
