/**
 * A local path to come back to after sign-in: only "/something" on this site is accepted, so the
 * parameter cannot send the user elsewhere (no "//host", no "/\host", no scheme).
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/measurements';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!/^\/(?![/\\])/.test(value) || /[\u0000-\u001f\\]/.test(value)) return '/measurements';
  return value.startsWith('/auth/') ? '/measurements' : value;
}

export function signInHref(returnTo: string): string {
  return `/auth/sign-in?${new URLSearchParams({ returnTo: safeReturnTo(returnTo) }).toString()}`;
}
