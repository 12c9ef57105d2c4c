import { parseAllDocuments } from 'yaml';
import { GitopsError } from './errors';

/** One Kubernetes object from dist/, keyed the way a reviewer thinks of it. */
export interface Resource {
  readonly key: string;
  readonly kind: string;
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  readonly name: string;
  readonly body: unknown;
}

export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ResourceChange {
  readonly change: 'added' | 'changed' | 'removed';
  readonly resource: Resource;
  readonly fields: readonly FieldChange[];
}

/** Parses every document of every file; files are `{ path: text }`. */
export function parseResources(files: ReadonlyMap<string, string>): Map<string, Resource> {
  const resources = new Map<string, Resource>();
  for (const [file, text] of files) {
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new GitopsError(`${file}: invalid YAML: ${doc.errors[0].message}`);
      const body = doc.toJS() as Record<string, unknown> | null;
      if (body === null || typeof body !== 'object') continue;
      const metadata = (body.metadata ?? {}) as { name?: string; namespace?: string };
      const kind = String(body.kind ?? '(no kind)');
      const group = String(body.apiVersion ?? '').split('/').slice(0, -1).join('/');
      const name = metadata.namespace ? `${metadata.namespace}/${metadata.name}` : String(metadata.name);
      const key = `${group}|${kind}|${name}`;
      if (resources.has(key)) throw new GitopsError(`${file}: ${kind} ${name} is defined twice`);
      resources.set(key, { key, kind, name, body });
    }
  }
  return resources;
}

export function diffResources(before: ReadonlyMap<string, Resource>, after: ReadonlyMap<string, Resource>): ResourceChange[] {
  const changes: ResourceChange[] = [];
  for (const [key, resource] of after) {
    const old = before.get(key);
    if (old === undefined) changes.push({ change: 'added', resource, fields: [] });
    else {
      const fields = diffValues(old.body, resource.body, '');
      if (fields.length > 0) changes.push({ change: 'changed', resource, fields });
    }
  }
  for (const [key, resource] of before) if (!after.has(key)) changes.push({ change: 'removed', resource, fields: [] });
  const order = { removed: 0, changed: 1, added: 2 };
  return changes.sort((a, b) => order[a.change] - order[b.change] || a.resource.kind.localeCompare(b.resource.kind) || a.resource.name.localeCompare(b.resource.name));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Lists of objects with a unique `name` (containers, ports, env, volumes) are matched by name, not position. */
function byName(list: readonly unknown[]): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== 'string' || map.has(item.name)) return undefined;
    map.set(item.name, item);
  }
  return map;
}

function diffValues(before: unknown, after: unknown, path: string): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(before[key], after[key], path === '' ? key : `${path}.${key}`));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const [oldNamed, newNamed] = [byName(before), byName(after)];
    if (oldNamed && newNamed) {
      const names = [...new Set([...oldNamed.keys(), ...newNamed.keys()])];
      return names.flatMap((name) => diffValues(oldNamed.get(name), newNamed.get(name), `${path}[${name}]`));
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffValues(before[i], after[i], `${path}[${i}]`)).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '(document)', before, after }];
}

const MAX_VALUE = 90;
function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const short = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
  return `\`${short.replace(/`/g, "'")}\``;
}

/** A Markdown section for one folder of dist/, as posted in PR comments and promotion PRs. */
export function renderMarkdown(title: string, changes: readonly ResourceChange[]): string {
  const count = (kind: ResourceChange['change']) => changes.filter((c) => c.change === kind).length;
  const lines = [`### ${title}: ${count('changed')} changed, ${count('added')} added, ${count('removed')} removed`, ''];
  if (changes.length === 0) return [...lines, 'No rendered changes.', ''].join('\n');
  lines.push('| Change | Kind | Name | Fields |', '| --- | --- | --- | --- |');
  for (const { change, resource, fields } of changes) {
    const fieldList = fields.length === 0 ? '' : fields.slice(0, 8).map((f) => `\`${f.path}\``).join('<br>') + (fields.length > 8 ? `<br>… ${fields.length - 8} more` : '');
    lines.push(`| ${change} | ${resource.kind} | ${resource.name} | ${fieldList} |`);
  }
  const details = changes.filter((c) => c.change === 'changed');
  if (details.length > 0) {
    lines.push('', '<details><summary>Changed values</summary>', '');
    for (const { resource, fields } of details) {
      lines.push(`**${resource.kind} ${resource.name}**`, '');
      for (const field of fields.slice(0, 30)) lines.push(`- \`${field.path}\`: ${show(field.before)} → ${show(field.after)}`);
      lines.push('');
    }
    lines.push('</details>');
  }
  return `${lines.join('\n')}\n`;
}
