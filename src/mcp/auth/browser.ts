// Opening the authorization URL: $BROWSER when set (a program, `%s` standing for the URL as in Python's
// webbrowser), else the platform's opener. The URL is always printed too, so a headless machine can sign
// in from another one; a failure to open is never fatal.

import { spawn } from 'node:child_process';

export function browserCommand(
  url: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): { command: string; args: string[] } {
  const browser = env.BROWSER?.trim();
  if (browser) {
    // Like Python's webbrowser: several programs may be listed, separated by ':'; the first is used.
    const first = browser.split(':')[0];
    const parts = first.split(/\s+/).filter(Boolean);
    const hasPlaceholder = parts.some((p) => p.includes('%s'));
    const args = parts.slice(1).map((p) => p.replaceAll('%s', url));
    return { command: parts[0], args: hasPlaceholder ? args : [...args, url] };
  }
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url.replaceAll('&', '^&')] };
  return { command: 'xdg-open', args: [url] };
}

/** Starts the browser without waiting for it; resolves false when it could not be started. */
export function openBrowser(url: string, env: Record<string, string | undefined>): Promise<boolean> {
  const { command, args } = browserCommand(url, env);
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true, env: env as NodeJS.ProcessEnv });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
