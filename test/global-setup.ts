// Builds dist/ once per test run: CLI tests spawn `bin/conduit.js`, which loads the bundle. Says once, up
// front, when no OS sandbox works here: the suites that need one are then skipped (test/helpers/sandbox.ts).
import { execFileSync } from 'node:child_process';
import { explainUnavailable, probeSandbox } from '../src/sandbox/probe.js';

export default async function setup(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const probe = await probeSandbox();
  const works = probe.platform === 'darwin' ? probe.seatbelt : probe.bwrap.works;
  if (!works) {
    process.stderr.write(
      `\nconduit tests: no working OS sandbox here, so the suites that need one are skipped: ${explainUnavailable(probe)}\n\n`,
    );
  }
}
