// Injected at build time would need a bundler define per entry; reading package.json costs one small sync
// read, so the version stays in one place.
import { readFileSync } from 'node:fs';

const pkgUrl = new URL('../package.json', import.meta.url);

export const VERSION: string = (() => {
  for (const url of [pkgUrl, new URL('../../package.json', import.meta.url)]) {
    try {
      return JSON.parse(readFileSync(url, 'utf8')).version as string;
    } catch {
      // try the next location: dist/ and src/cli/ sit at different depths
    }
  }
  return '0.0.0';
})();
