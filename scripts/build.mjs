// Bundles src/ into dist/ with esbuild. Dependencies stay external (node-pty is native, web-tree-sitter
// loads its wasm by path); splitting keeps every sub-command's imports lazy so `conduit --version`
// loads only the entry chunk. The exceptions: zod/mini (src/config/zod-mini.ts), bundled, shrinks to the
// functions the start-up schemas use, where loading it from node_modules costs ~45 ms and ~10 MiB; and the
// MCP SDK (below).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const BUNDLED = new Set(['zod/mini', 'zod/v4/locales/en.js']);
/**
 * The MCP SDK and the zod it validates with, bundled with everything they import: loaded from
 * node_modules they take ~130 ms and ~11 MiB (about a hundred files, every zod locale) when a session has
 * an MCP server; bundled, ~45 ms and less memory.
 */
const BUNDLED_PACKAGES = /^(@modelcontextprotocol\/sdk\/|zod(\/|$))/;

/** `packages: 'external'`, except for the imports above and whatever a bundled package imports. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      BUNDLED.has(args.path) || BUNDLED_PACKAGES.test(args.path) || args.importer.includes('/node_modules/')
        ? undefined
        : { external: true },
    );
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
