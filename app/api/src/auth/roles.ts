// Roles from the claim named by OIDC_ROLE_CLAIM (a string or an array of strings) through
// OIDC_ROLE_MAPPING. Values the mapping does not name are ignored; no mapped value, no role.
import type { AuthConfig, Role } from './config';

/**
 * The claim's value: a top-level claim of that exact name (names may contain dots, e.g.
 * Auth0's `https://example.com/roles`), otherwise a dotted path into nested objects
 * (Keycloak's `realm_access.roles`).
 */
function claimValue(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function rolesFrom(claims: Record<string, unknown>, config: Pick<AuthConfig, 'roleClaim' | 'roleMapping'>): Set<Role> {
  const value = claimValue(claims, config.roleClaim);
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  const roles = new Set<Role>();
  for (const item of values) {
    if (Object.hasOwn(config.roleMapping, item)) roles.add(config.roleMapping[item]);
  }
  return roles;
}

/** What a role may do: viewers read, editors also write (create, edit, delete, import). */
export function mayPerform(role: Role | undefined, access: 'read' | 'write'): boolean {
  if (access === 'read') return role === 'viewer' || role === 'editor';
  return role === 'editor';
}
