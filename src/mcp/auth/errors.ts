// The one auth failure a user fixes by running a command: no usable sign-in. Its message names the server
// and the command, so a front end can print it as is (a warning in exec, never a wait for a browser).

export class LoginRequiredError extends Error {
  constructor(
    readonly server: string,
    reason: 'missing' | 'expired' | 'step-up',
    scope?: string,
  ) {
    const fix = `run \`conduit mcp login ${server}\``;
    super(
      reason === 'missing'
        ? `MCP server '${server}' needs a sign-in: ${fix}`
        : reason === 'expired'
          ? `the sign-in to MCP server '${server}' has expired and could not be renewed: ${fix}`
          : `MCP server '${server}' asks for more access${scope ? ` (scope "${scope}")` : ''}: ${fix}, or set $BROWSER to sign in during the run`,
    );
    this.name = 'LoginRequiredError';
  }
}
