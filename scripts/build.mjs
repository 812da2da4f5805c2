// Bundles src/ into dist/ with esbuild. Dependencies stay external (node-pty is native, web-tree-sitter
// loads its wasm by path); splitting keeps every sub-command's imports lazy so `conduit --version`
// loads only the entry chunk.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
