// Runs the fake model server as its own process, for end-to-end tests and benches that spawn `conduit`:
//
//   npx vite-node test/fake-model/cli.ts -- [--script answers.json] [--wires chat,responses] [--port N] [--auto]
//
// `answers.json` is a JSON array of FakeResponse (see types.ts), queued in order. `--auto` answers
// requests the script does not cover with autoReply (a tool call or "ok"). The first line on stdout is the
// base_url (`http://127.0.0.1:<port>/v1`); every request is logged to stderr as one JSON line. The server
// stops on SIGTERM / SIGINT.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startFakeModelServer } from './server.js';
import type { FakeResponse } from './types.js';

const { values } = parseArgs({
  options: {
    script: { type: 'string' },
    wires: { type: 'string' },
    port: { type: 'string' },
    auto: { type: 'boolean' },
  },
  allowPositionals: true,
});

const wires = values.wires?.split(',').map((w) => w.trim()) as ('responses' | 'chat')[] | undefined;
const fake = await startFakeModelServer({
  wires,
  port: values.port ? Number(values.port) : undefined,
  onEmpty: values.auto ? 'auto' : 'error',
});
if (values.script) fake.enqueue(...(JSON.parse(readFileSync(values.script, 'utf8')) as FakeResponse[]));
const originalPush = fake.requests.push.bind(fake.requests);
fake.requests.push = (...items) => {
  for (const r of items)
    process.stderr.write(`${JSON.stringify({ method: r.method, path: r.path, body: r.body })}\n`);
  return originalPush(...items);
};
process.stdout.write(`${fake.url}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    fake.close().then(() => process.exit(0));
  });
}
