// The pure parts of sign-in and elicitation: the browser command, the loopback callback's checks, and
// form defaults.

import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../../src/mcp/auth/browser.js';
import { AuthorizationCallback } from '../../../src/mcp/auth/callback.js';
import { applyElicitationDefaults } from '../../../src/mcp/elicitation.js';

describe('browserCommand', () => {
  const url = 'http://127.0.0.1:1/authorize?a=1&b=2';
  it('uses $BROWSER (with %s, or the URL appended), else the platform opener', () => {
    expect(browserCommand(url, { BROWSER: 'firefox --new-tab' })).toEqual({
      command: 'firefox',
      args: ['--new-tab', url],
    });
    expect(browserCommand(url, { BROWSER: 'w3m %s' })).toEqual({ command: 'w3m', args: [url] });
    expect(browserCommand(url, {}, 'linux')).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserCommand(url, {}, 'darwin')).toEqual({ command: 'open', args: [url] });
    expect(browserCommand(url, {}, 'win32').args.at(-1)).toBe('http://127.0.0.1:1/authorize?a=1^&b=2');
  });
});

describe('the loopback callback', () => {
  it('ignores a redirect with another state, then takes the code', async () => {
    const callback = await AuthorizationCallback.listen('remote');
    try {
      expect(callback.redirectUrl).toBe(`http://127.0.0.1:${callback.port}/callback`);
      callback.expectState('good');
      const forged = await fetch(`${callback.redirectUrl}?code=evil&state=bad`);
      expect(forged.status).toBe(400);
      const code = callback.waitForCode(60_000);
      const real = await fetch(`${callback.redirectUrl}?code=c0de&state=good`);
      expect(await real.text()).toContain("Signed in to MCP server 'remote'");
      expect(await code).toBe('c0de');
    } finally {
      callback.close();
    }
  });

  it('reports an error redirect from the authorization server', async () => {
    const callback = await AuthorizationCallback.listen('remote');
    try {
      const failure = callback.waitForCode(60_000).catch((error: Error) => error.message);
      await fetch(`${callback.redirectUrl}?error=access_denied&error_description=user+said+no`);
      expect(await failure).toBe('the authorization server refused: access_denied: user said no');
    } finally {
      callback.close();
    }
  });
});

describe('elicitation form defaults (SEP-1034)', () => {
  const params = {
    message: 'Who?',
    requestedSchema: {
      type: 'object' as const,
      properties: {
        name: { type: 'string' as const, default: 'John Doe' },
        age: { type: 'integer' as const, default: 30 },
        verified: { type: 'boolean' as const, default: true },
        note: { type: 'string' as const },
      },
    },
  };
  it('fills the fields an accepted form left out, keeps the answered ones, and leaves declines alone', () => {
    expect(applyElicitationDefaults(params, { action: 'accept', content: { name: 'Ada' } })).toEqual({
      action: 'accept',
      content: { name: 'Ada', age: 30, verified: true },
    });
    expect(applyElicitationDefaults(params, { action: 'decline' })).toEqual({ action: 'decline' });
  });
});
