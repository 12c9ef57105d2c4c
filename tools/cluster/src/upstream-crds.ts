// The upstream CustomResourceDefinitions the environments use, read from the Go module cache
// at exactly the versions environments/platform.ts pins (the versions the platform
// Applications install). Nothing is copied into the repository: `go mod download -json`
// fetches the module through the module proxy once and names its folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { platform } from '../../../environments/platform';
import { parsePlatform } from '../../../environments/load';
import type { PlatformConfig } from '../../../environments/platform-schema';

/** One upstream project's folder of manifests, inside its Go module. */
export interface CrdSource {
  /** Short name; also the folder name under .build/crds/. */
  readonly name: string;
  /** Go module path. */
  readonly module: string;
  /** Module version (a release tag: v1.2.3). */
  readonly version: string;
  /** Folder inside the module holding the manifests. */
  readonly folder: string;
}

const tag = (version: string): string => (version.startsWith('v') ? version : `v${version}`);

/** Every CRD source, with versions taken from the platform configuration. */
export function crdSources(config: PlatformConfig = parsePlatform(platform)): CrdSource[] {
  return [
    // The chart installs the operator's own CRDs (config/crd/bases at its appVersion).
    { name: 'cloudnative-pg', module: 'github.com/cloudnative-pg/cloudnative-pg', version: tag(config.cloudnativePg.appVersion), folder: 'config/crd/bases' },
    // The Applications sync these very folders from the upstream Git repositories.
    { name: 'gateway-api', module: 'sigs.k8s.io/gateway-api', version: tag(config.gatewayApiCrds.version), folder: config.gatewayApiCrds.path },
    { name: 'prometheus-operator', module: 'github.com/prometheus-operator/prometheus-operator', version: tag(config.prometheusOperatorCrds.version), folder: config.prometheusOperatorCrds.path },
    { name: 'argo-cd', module: argocdModule(config), version: tag(config.argocd.version), folder: 'manifests/crds' },
    // The cert-manager chart installs this folder's CRDs (crds.enabled in its values).
    { name: 'cert-manager', ...chartModule(config.certManager, 'github.com/cert-manager/cert-manager'), folder: 'deploy/crds' },
    // What Envoy Gateway's CRDs chart installs (its Gateway API CRDs left out, as in its values).
    { name: 'envoy-gateway', ...chartModule(config.envoyGateway, 'github.com/envoyproxy/gateway'), folder: 'charts/gateway-helm/charts/crds/crds/generated' },
    // The ObjectStore CRD of the Barman Cloud plugin at the release its Application runs.
    { name: 'barman-cloud', module: 'github.com/cloudnative-pg/plugin-barman-cloud', version: tag(config.barmanCloudPlugin.pluginVersion), folder: 'config/crd/bases' },
  ];
}

/** Argo CD's module (its major version is part of the path). */
export function argocdModule(config: PlatformConfig): string {
  return `github.com/argoproj/argo-cd/v${tag(config.argocd.version).slice(1).split('.')[0]}`;
}

/** The module holding a chart's source: chartSourceModule, else `fallback` at the chart version. */
export function chartModule(component: { readonly version: string; readonly chartSourceModule?: string }, fallback: string): { module: string; version: string } {
  if (!component.chartSourceModule) return { module: fallback, version: tag(component.version) };
  const at = component.chartSourceModule.lastIndexOf('@');
  return { module: component.chartSourceModule.slice(0, at), version: component.chartSourceModule.slice(at + 1) };
}

interface ModuleDownload {
  Dir?: string;
  Error?: string;
}

/** The module's folder in the Go module cache, downloading it through the proxy if needed. */
export function moduleDir(module: string, version: string): string {
  // Outside any go.mod (a temp cwd), so the download never edits one of ours.
  const output = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    env: { ...process.env, GO111MODULE: 'on', GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = JSON.parse(output) as ModuleDownload;
  if (result.Error || !result.Dir) throw new Error(`go mod download ${module}@${version}: ${result.Error ?? 'no folder reported'}`);
  return result.Dir;
}

/** The folder of a source inside the module cache. */
export function sourceDir(source: CrdSource): string {
  const dir = path.join(moduleDir(source.module, source.version), source.folder);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${source.module}@${source.version} has no folder ${source.folder}`);
  }
  return dir;
}

/**
 * The manifest files of a source, sorted: every YAML file but kustomize's own
 * kustomization.yaml (Gateway API's folder also holds a ValidatingAdmissionPolicy, which its
 * Application installs too).
 */
export function manifestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== 'kustomization.yaml')
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Links .build/crds/<name> to each source's folder in the module cache (for `cdk8s import`,
 * whose cdk8s.yaml paths must be fixed). Returns the links made.
 */
export function linkCrdFolders(repoRoot: string, sources: readonly CrdSource[] = crdSources()): string[] {
  const root = path.join(repoRoot, '.build', 'crds');
  fs.mkdirSync(root, { recursive: true });
  return sources.map((source) => {
    const link = path.join(root, source.name);
    fs.rmSync(link, { force: true, recursive: false });
    fs.symlinkSync(sourceDir(source), link);
    return link;
  });
}
