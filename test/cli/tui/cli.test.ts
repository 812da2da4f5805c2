// `conduit` outside a terminal: a clear pointer to `conduit exec`, exit 2, nothing started.

import { describe, expect, it } from 'vitest';
import { cleanEnv, gitDir, runConduit, tempDir } from '../exec/helpers.js';

describe('conduit without a terminal', () => {
  it('says to use conduit exec and exits 2', async () => {
    const home = tempDir('conduit-home-');
    const result = await runConduit(['fix the bug'], { env: cleanEnv(home), cwd: gitDir(), input: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs a terminal');
    expect(result.stderr).toContain('conduit exec "PROMPT"');
  });

  it('lists resume and the interactive flags in help', async () => {
    const home = tempDir('conduit-home-');
    const result = await runConduit(['resume', '--help'], { env: cleanEnv(home), cwd: gitDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--last');
    expect(result.stdout).toContain('--ask-for-approval');
  });
});
