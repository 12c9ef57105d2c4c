// Reads the committed manifests in dist/ for tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const distDir = path.join(repoRoot, 'dist');

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[]; deletionTimestamp?: string; creationTimestamp?: string; uid?: string };
  // Manifests are free-form JSON; tests navigate them with specific expectations.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

export interface ManifestFile {
  /** Path relative to dist/, e.g. dev/deployment-api.yaml. */
  readonly file: string;
  readonly environment: string;
  readonly object: KubeObject;
}

/** The folder of Argo CD objects (dist/argocd/), rendered beside the environments. */
export const ARGOCD_FOLDER = 'argocd';

/** The folder of the platform controllers' configuration (dist/platform/). */
export const PLATFORM_FOLDER = 'platform';

/** Every environment folder of dist/ (all folders but dist/argocd/ and dist/platform/). */
export function environmentFolders(): string[] {
  return fs
    .readdirSync(distDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== ARGOCD_FOLDER && entry.name !== PLATFORM_FOLDER)
    .map((entry) => entry.name)
    .sort();
}

/** Every manifest under dist/argocd/ (bootstrap/ and apps/); `environment` is 'argocd'. */
export function loadArgoCdManifests(): ManifestFile[] {
  const root = path.join(distDir, ARGOCD_FOLDER);
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({
      file: `${ARGOCD_FOLDER}/${file}`,
      environment: ARGOCD_FOLDER,
      object: load(fs.readFileSync(path.join(root, file), 'utf8')) as KubeObject,
    }));
}

/** Every manifest under dist/platform/; `environment` is 'platform'. */
export function loadPlatformManifests(): ManifestFile[] {
  const root = path.join(distDir, PLATFORM_FOLDER);
  return fs
    .readdirSync(root)
    .sort()
    .map((file) => ({ file: `${PLATFORM_FOLDER}/${file}`, environment: PLATFORM_FOLDER, object: load(fs.readFileSync(path.join(root, file), 'utf8')) as KubeObject }));
}

export function loadManifests(): ManifestFile[] {
  return environmentFolders().flatMap((environment) =>
    fs
      .readdirSync(path.join(distDir, environment))
      .sort()
      .map((name) => ({
        file: `${environment}/${name}`,
        environment,
        object: load(fs.readFileSync(path.join(distDir, environment, name), 'utf8')) as KubeObject,
      })),
  );
}

export function byKind(files: readonly ManifestFile[], environment: string, kind: string): KubeObject[] {
  return files.filter((f) => f.environment === environment && f.object.kind === kind).map((f) => f.object);
}

export function findObject(files: readonly ManifestFile[], environment: string, kind: string, name: string): KubeObject {
  const found = byKind(files, environment, kind).find((o) => o.metadata.name === name);
  if (!found) throw new Error(`${environment}: no ${kind} named ${name}`);
  return found;
}
