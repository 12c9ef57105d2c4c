import type { Problem } from './types';

/** The API answered with a problem+json error the user can act on (4xx, or a 5xx it explained). */
export class ApiProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`API answered ${problem.status}${problem.code ? ` ${problem.code}` : ''}: ${problem.detail ?? problem.title ?? ''}`);
    this.name = 'ApiProblemError';
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

/** The API could not be reached, timed out, or said it is unavailable (503): the front shows its 503 page. */
export class ApiUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiUnavailableError';
  }
}

/**
 * A write was sent but no answer came back (timeout, connection lost, a gateway's 502/504):
 * it may or may not have been applied. Never reported as "nothing was saved".
 */
export class ApiOutcomeUnknownError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiOutcomeUnknownError';
  }
}
