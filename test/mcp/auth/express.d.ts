// express ships with the MCP SDK (its server side is built on it) but without types; the test server only
// wires the SDK's own handlers into it.
declare module 'express';
