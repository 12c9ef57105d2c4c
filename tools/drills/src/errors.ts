/**
 * Errors a drill turns into a one-line message and an exit code. `UsageError`: the arguments
 * were wrong (exit 2, help hint). `DrillFailure`: the system under test failed a check (exit 1).
 * Anything else is a bug in the drill and prints a stack.
 */
export class DrillError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DrillError';
  }
}

export class UsageError extends DrillError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class DrillFailure extends DrillError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DrillFailure';
  }
}
