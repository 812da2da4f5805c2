import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn real processes (bwrap, MCP servers, conduit itself); two cores only.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
  },
});
