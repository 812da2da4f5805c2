// Builds dist/ once per test run: CLI tests spawn `bin/conduit.js`, which loads the bundle.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
