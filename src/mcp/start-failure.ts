// The error a server's start-up ends with, naming the server. Its own module so the manager can tell it
// apart without loading the connection code (and with it the MCP SDK).

export class McpStartFailure extends Error {
  constructor(
    readonly server: string,
    message: string,
  ) {
    super(message);
    this.name = 'McpStartFailure';
  }
}
