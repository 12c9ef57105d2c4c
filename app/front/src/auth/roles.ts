// Roles of the front: `viewer` reads, `editor` also creates, edits, deletes and imports.

export type Role = 'viewer' | 'editor';

/** The signed-in person as pages and routes see them. */
export interface SessionUser {
  readonly sub: string;
  /** What the page shows: name, else preferred_username, else sub. */
  readonly displayName: string;
  /** null: signed in, but no claim value maps to a role. */
  readonly role: Role | null;
}

/**
 * The strongest role any value of `claim` maps to. The claim may be one string or an array of
 * strings (Keycloak, Dex and Entra ID all send arrays of groups); anything else gives no role.
 */
export function roleFromClaims(claims: Readonly<Record<string, unknown>>, claim: string, mapping: Readonly<Record<string, Role>>): Role | null {
  const raw = claims[claim];
  const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  const roles = new Set(values.map((v) => (Object.hasOwn(mapping, v) ? mapping[v] : undefined)));
  if (roles.has('editor')) return 'editor';
  if (roles.has('viewer')) return 'viewer';
  return null;
}

export function canWrite(user: SessionUser | undefined): boolean {
  return user?.role === 'editor';
}

/** Pages and form posts that change measurements: editors only (GET forms too, so viewers never see them). */
const WRITE_PATHS = [/^\/measurements\/new$/, /^\/measurements\/[^/]+\/(edit|delete)$/, /^\/import$/];

/** True when this request needs the editor role: every unsafe method, and the pages of write forms. */
export function needsEditor(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return true;
  return WRITE_PATHS.some((pattern) => pattern.test(path));
}
