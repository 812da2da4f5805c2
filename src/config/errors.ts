// Errors a user can fix (bad config, a missing API key, bad flags). Front ends print the message alone,
// never a stack trace, and exit with `exitCode`.

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A configuration problem; the message names the file, line, column and key path when they are known. */
export class ConfigError extends UserError {
  override name = 'ConfigError';
}
