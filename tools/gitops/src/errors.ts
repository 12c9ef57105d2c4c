/**
 * Errors the CLI turns into a one-line message and a non-zero exit code.
 * `UsageError` means the arguments were wrong (exit 2, help hint); `GitopsError` means the
 * command could not be carried out safely (exit 1). Anything else is a bug and prints a stack.
 */
export class GitopsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitopsError';
  }
}

export class UsageError extends GitopsError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
