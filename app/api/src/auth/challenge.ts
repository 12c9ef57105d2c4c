// RFC 6750 section 3 answers: 401 with a Bearer challenge for a missing or unacceptable token,
// 403 insufficient_scope for a role that may not do this; both problem+json (errors.ts).
import { AppError } from '../errors';

export const realm = 'ecodata-api';

/** A quoted-string for an auth-param (RFC 9110 11.2): our own ASCII texts, quotes escaped. */
const quoted = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;

function challenge(params: Record<string, string>): string {
  return `Bearer ${Object.entries({ realm, ...params }).map(([name, value]) => `${name}=${quoted(value)}`).join(', ')}`;
}

/** No bearer token at all: the challenge carries no error code (RFC 6750 section 3.1). */
export function tokenRequired(detail: string): AppError {
  return new AppError(401, 'unauthorized', detail, undefined, { headers: { 'WWW-Authenticate': challenge({}) } });
}

/** A token was sent and refused: expired, wrongly signed, another issuer or audience, malformed. */
export function invalidToken(description: string): AppError {
  return new AppError(401, 'unauthorized', `The access token was refused: ${description}.`, undefined, {
    headers: { 'WWW-Authenticate': challenge({ error: 'invalid_token', error_description: description }) },
  });
}

/** A valid token whose role may not do this. */
export function insufficientRole(description: string): AppError {
  return new AppError(403, 'forbidden', `${description}.`, undefined, {
    headers: { 'WWW-Authenticate': challenge({ error: 'insufficient_scope', error_description: description }) },
  });
}
