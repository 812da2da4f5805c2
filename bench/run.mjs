// Runs every bench/*.bench.ts (or those whose name contains the first argument) one after another.
// Each is bundled with esbuild into bench/.out (inside the repo, so its imports resolve node_modules) and run in its own node process, so one benchmark's
// heap and open handles never skew the next one's figures.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const filter = process.argv[2] ?? '';
const benchDir = new URL('.', import.meta.url).pathname;
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
const outDir = join(benchDir, '.out');
mkdirSync(outDir, { recursive: true });
let failed = 0;
try {
  for (const file of files) {
    const outfile = join(outDir, file.replace(/\.ts$/, '.mjs'));
    buildSync({
      entryPoints: [join(benchDir, file)],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    console.log(`\n=== ${file} ===`);
    const res = spawnSync(process.execPath, ['--expose-gc', outfile], {
      stdio: 'inherit',
      cwd: join(benchDir, '..'),
    });
    if (res.status !== 0) {
      failed++;
      console.error(`${file} failed (exit ${res.status})`);
    }
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
