// Where the upstream schemas live. They are read from outside the repository (never copied
// in): KUBERNETES_SCHEMAS_DIR and CRDS_DIR override the defaults beside the repository.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './dist';

export const KUBERNETES_VERSIONS = ['v1.28.0', 'v1.34.0'] as const;

function existingDir(variable: string, fallback: string, hint: string): string {
  const dir = path.resolve(process.env[variable] ?? fallback);
  if (!fs.existsSync(dir)) {
    throw new Error(`schema folder ${dir} not found: set ${variable} to a folder holding ${hint}`);
  }
  return dir;
}

export function kubernetesSchemasDir(): string {
  return existingDir('KUBERNETES_SCHEMAS_DIR', path.join(repoRoot, '..', 'shared', 'kubernetes-schemas'), '<version>/_definitions.json');
}

export function crdsDir(): string {
  return existingDir('CRDS_DIR', path.join(repoRoot, '..', 'shared', 'crds'), 'CustomResourceDefinition YAML files (searched recursively)');
}
