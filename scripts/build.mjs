// Bundles src/ into dist/ with esbuild. Dependencies stay external (node-pty is native, web-tree-sitter
// loads its wasm by path); splitting keeps every sub-command's imports lazy so `conduit --version`
// loads only the entry chunk. The exception is zod/mini (src/config/zod-mini.ts): bundled, it shrinks to the
// functions the start-up schemas use, where loading it from node_modules costs ~45 ms and ~10 MiB.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const BUNDLED = new Set(['zod/mini', 'zod/v4/locales/en.js']);

/** `packages: 'external'`, except for the imports in BUNDLED. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.has(args.path) ? undefined : { external: true }));
  },
};

// Chunk names are content hashes: without a clean slate, dist/ keeps every old build's chunks.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [externalPackages],
  sourcemap: true,
  logLevel: 'warning',
});
