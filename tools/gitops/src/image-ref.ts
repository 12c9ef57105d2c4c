import { GitopsError } from './errors';

/** An immutable container image reference: `registry/path/name:tag@sha256:<64 hex>`. */
export interface ImageRef {
  readonly raw: string;
  /** Everything before the tag: `ghcr.io/owner/ecodata-api`. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:<64 hex>`. */
  readonly digest: string;
}

// Registry host (optionally with port), one or more lowercase path components, a tag as
// the OCI distribution spec allows it, and a mandatory sha256 digest.
const REF = /^(?<repository>[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+):(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})@(?<digest>sha256:[a-f0-9]{64})$/;

/** Parses and validates a reference; `name` (e.g. `api`) must match the repository's last segment `ecodata-<name>`. */
export function parseImageRef(raw: string, name?: string): ImageRef {
  const label = name ? `image "${name}"` : 'image';
  const match = REF.exec(raw);
  if (!match?.groups) {
    const hint = !raw.includes('@sha256:')
      ? 'it has no @sha256:<64 hex> digest (tags alone are mutable)'
      : 'expected registry/name:tag@sha256:<64 hex>';
    throw new GitopsError(`${label}: invalid reference "${raw}": ${hint}`);
  }
  const { repository, tag, digest } = match.groups as { repository: string; tag: string; digest: string };
  if (tag === 'latest') throw new GitopsError(`${label}: the tag "latest" is not allowed in "${raw}" (use the commit SHA tag)`);
  if (!repository.includes('/') || !repository.split('/')[0].match(/[.:]|^localhost$/)) {
    throw new GitopsError(`${label}: "${raw}" must name its registry (e.g. ghcr.io/<owner>/...)`);
  }
  if (name !== undefined) {
    const last = repository.slice(repository.lastIndexOf('/') + 1);
    if (last !== `ecodata-${name}`) {
      throw new GitopsError(`${label}: "${raw}" points at repository "${last}", expected "ecodata-${name}"`);
    }
  }
  return { raw, repository, tag, digest };
}

/** Short, readable form of a tag for commit subjects: 40-hex commit SHAs become 12 characters. */
export function shortTag(tag: string): string {
  return /^[0-9a-f]{40}$/.test(tag) ? tag.slice(0, 12) : tag;
}

/** `sha256:abcdef012345` (first 12 hex digits) for tables. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}

/** Parses `api=<ref>,front=<ref>` (also accepts repeated --image flags joined by the caller). */
export function parseImageAssignments(values: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const value of values) {
    for (const part of value.split(',')) {
      const item = part.trim();
      if (item === '') continue;
      const eq = item.indexOf('=');
      if (eq <= 0) throw new GitopsError(`--image: expected <name>=<reference>, got "${item}"`);
      const name = item.slice(0, eq);
      if (result.has(name)) throw new GitopsError(`--image: "${name}" is given twice`);
      result.set(name, item.slice(eq + 1));
    }
  }
  if (result.size === 0) throw new GitopsError('--image: at least one <name>=<reference> is required');
  return result;
}
