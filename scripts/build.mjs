// Bundles src/ into dist/ with esbuild. Dependencies stay external (node-pty is native, web-tree-sitter
// loads its wasm by path); splitting keeps every sub-command's imports lazy so `conduit --version`
// loads only the entry chunk. Two exceptions:
// - zod/mini (src/config/zod-mini.ts) is bundled: it shrinks to the functions the start-up schemas use,
//   where loading it from node_modules costs ~45 ms and ~10 MiB.
// - The MCP SDK and the classic zod it validates with are bundled apart, into dist/vendor/: loaded from
//   node_modules they take ~130 ms and ~11 MiB (about a hundred files, every zod locale) whenever a session
//   has an MCP server; bundled, ~45 ms. A separate build, so that the start-up path's zod/mini never shares
//   (and loads) a chunk with classic zod.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const BUNDLED = new Set(['zod/mini', 'zod/v4/locales/en.js']);
const VENDORED = /^(@modelcontextprotocol\/sdk\/.+|zod)$/;

/** dist/vendor/<name>.js for a vendored import: `sdk/types` for `@modelcontextprotocol/sdk/types.js`. */
const vendorName = (spec) => spec.replace(/^@modelcontextprotocol\//, '').replace(/\.js$/, '');
const vendored = new Set();

/** `packages: 'external'`, except for BUNDLED, and VENDORED mapped to dist/vendor/. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (BUNDLED.has(args.path)) return undefined;
      if (VENDORED.test(args.path)) {
        vendored.add(args.path);
        return { path: `./vendor/${vendorName(args.path)}.js`, external: true };
      }
      return { external: true };
    });
  },
};

// Chunk names are content hashes: without a clean slate, dist/ keeps every old build's chunks.
rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: {
    cli: 'src/cli/main.ts',
    index: 'src/index.ts',
    // Run by apply_patch inside the sandbox (src/tools/apply-patch/sandboxed-write.ts).
    'patch-writer': 'src/tools/apply-patch/writer-main.ts',
  },
  outdir: 'dist',
  plugins: [externalPackages],
});

// Every vendored import the main build saw, one entry each, sharing chunks among themselves.
await build({
  ...common,
  entryPoints: Object.fromEntries(
    [...vendored].map((spec) => [vendorName(spec), fileURLToPath(import.meta.resolve(spec))]),
  ),
  outdir: 'dist/vendor',
  chunkNames: 'chunk-[hash]',
});
