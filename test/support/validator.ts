// Strict validation of manifests against the upstream Kubernetes OpenAPI definitions and
// CRD schemas, the way the API server's strict field validation works: every object schema
// that lists properties is closed (unknown fields are errors) unless it declares
// additionalProperties or, in CRDs, x-kubernetes-preserve-unknown-fields.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { loadAll } from 'js-yaml';
import type { KubeObject } from './dist';

type Schema = Record<string, unknown>;

/** Returns a deep copy of `schema` with every object that has properties closed. */
export function closeObjects(schema: unknown, honourPreserveUnknown: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((item) => closeObjects(item, honourPreserveUnknown));
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as Schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    // `properties` and `definitions` map names to schemas; everything else is a keyword.
    copy[key] =
      key === 'properties' || key === 'definitions' || key === 'patternProperties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, closeObjects(child, honourPreserveUnknown)]))
        : closeObjects(value, honourPreserveUnknown);
  }
  const preserves = honourPreserveUnknown && source['x-kubernetes-preserve-unknown-fields'] === true;
  if (source.properties !== undefined && source.additionalProperties === undefined && !preserves) {
    copy.additionalProperties = false;
  }
  return copy;
}

/**
 * CRD patterns are Go RE2 expressions; the only RE2 syntax they use that JavaScript lacks is
 * a leading case-insensitive flag group, e.g. PrometheusRule's `^(?i)(abort|warn)?$`.
 */
export const re2Pattern = Object.assign(
  (pattern: string, flags: string): RegExp => {
    const caseInsensitive = pattern.startsWith('(?i)') || pattern.startsWith('^(?i)');
    const source = caseInsensitive ? pattern.replace('(?i)', '') : pattern;
    return new RegExp(source, caseInsensitive ? `${flags}i` : flags);
  },
  // Ajv only reads `code` when generating standalone modules, which these tests never do.
  { code: 're2Pattern' },
);

function newAjv(): Ajv {
  // Vendor keywords (x-kubernetes-*) and formats (int32, date-time, ...) are not errors.
  return new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: re2Pattern } });
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly errors: readonly string[];
}

function describe(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
    return `${e.instancePath || '/'} ${e.message}${extra}`;
  });
}

/** Validates built-in kinds against one Kubernetes version's definitions. */
export class KubernetesSchema {
  private readonly ajv = newAjv();
  private readonly byGvk = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly version: string, definitionsFile: string) {
    const document = JSON.parse(fs.readFileSync(definitionsFile, 'utf8')) as { definitions: Record<string, Schema> };
    for (const [name, definition] of Object.entries(document.definitions)) {
      const gvks = (definition['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[];
      for (const { group, version, kind } of gvks) this.byGvk.set(`${group ? `${group}/` : ''}${version}/${kind}`, name);
    }
    this.ajv.addSchema({ $id: 'k8s', ...(closeObjects(document, false) as Schema) });
  }

  /** Whether this version serves the object's apiVersion and kind at all. */
  knows(object: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
    return this.byGvk.has(`${object.apiVersion}/${object.kind}`);
  }

  validate(object: KubeObject): ValidationResult {
    const key = `${object.apiVersion}/${object.kind}`;
    const definition = this.byGvk.get(key);
    if (definition === undefined) return { valid: false, errors: [`Kubernetes ${this.version} does not serve ${key}`] };
    let validator = this.compiled.get(definition);
    if (!validator) {
      validator = this.ajv.compile({ $ref: `k8s#/definitions/${definition}` });
      this.compiled.set(definition, validator);
    }
    const valid = validator(object);
    return { valid, errors: describe(validator.errors) };
  }
}

interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }[] };
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

/** Validates custom resources against the CRDs found (recursively) in a folder. */
export class CrdSchemas {
  private readonly ajv = newAjv();
  private readonly schemas = new Map<string, Schema>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(dir: string) {
    for (const file of yamlFiles(dir)) {
      for (const document of loadAll(fs.readFileSync(file, 'utf8')) as Crd[]) {
        if (document?.kind !== 'CustomResourceDefinition') continue;
        for (const version of document.spec.versions) {
          if (!version.served || !version.schema) continue;
          this.schemas.set(`${document.spec.group}/${version.name}/${document.spec.names.kind}`, version.schema.openAPIV3Schema);
        }
      }
    }
  }

  knows(object: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
    return this.schemas.has(`${object.apiVersion}/${object.kind}`);
  }

  validate(object: KubeObject): ValidationResult {
    const key = `${object.apiVersion}/${object.kind}`;
    const schema = this.schemas.get(key);
    if (!schema) return { valid: false, errors: [`no CRD serves ${key}`] };
    let validator = this.compiled.get(key);
    if (!validator) {
      validator = this.ajv.compile(closeObjects(schema, true) as Schema);
      this.compiled.set(key, validator);
    }
    const valid = validator(object);
    return { valid, errors: describe(validator.errors) };
  }
}
