/**
 * A request the signed-in user (or a visitor) may not make: answered with a 403 page that says
 * why, offering to sign in when signing in (again, or as someone else) would help.
 */
export class AccessDeniedError extends Error {
  constructor(
    message: string,
    readonly title = 'Not allowed',
    readonly offerSignIn = false,
    /** False when no page would help (no role at all): only signing out (as someone else) does. */
    readonly offerBack = true,
  ) {
    super(message);
    this.name = 'AccessDeniedError';
  }
}

/** Sign-in did not complete (provider refused, expired or forged callback): a 400 page. */
export class SignInError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignInError';
  }
}

/** The identity provider could not be reached (discovery, token endpoint): a 503 page, try later. */
export class ProviderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderUnavailableError';
  }
}
