// The sandboxed patch writer (built to dist/patch-writer.js): run inside the same sandbox as shell
// commands, it reads an already-verified plan on stdin and writes it all or nothing with commitPlan. Being
// inside the sandbox is the point: a directory swapped for a symlink to the outside between planning and
// writing now leads onto the sandbox's read-only view (EROFS), never onto the host. It answers one JSON
// line on stdout: `{"ok":true,"files":[{"path","action"}]}` or `{"ok":false,"error":…}`; exit 0 either way.

import { commitPlan } from './commit.js';
import { parseWriterRequest, type WriterReply } from './writer-protocol.js';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  let reply: WriterReply;
  try {
    const files = parseWriterRequest(Buffer.concat(chunks).toString('utf8'));
    reply = { ok: true, files: await commitPlan(files) };
  } catch (err) {
    reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

await main();
