// Renders the platform components whose source is in a Go module, the way Argo CD's repo
// server would: `helm template` of the chart at the pinned version with the values of the
// committed Application (API versions of the cluster passed in, CRDs included unless the
// Application skips them), and Argo CD's own install with `kubectl kustomize` plus the
// Application's patch. Charts published with release-time stamping (cert-manager's and
// Envoy Gateway's Chart.yaml say v0.0.0 in git) get the version the release tool writes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { parsePlatform } from '../../../environments/load';
import { platform as platformInput } from '../../../environments/platform';
import { argocdModule, chartModule, moduleDir } from '../../../tools/cluster/src/upstream-crds';
import { findObject, loadArgoCdManifests, type KubeObject } from '../../support/dist';
import { cluster } from './cluster';

const platform = parsePlatform(platformInput);

/** A committed platform Application, by name. */
export function platformApplication(name: string): KubeObject {
  return findObject(loadArgoCdManifests(), 'argocd', 'Application', name);
}

export interface RenderedComponent {
  readonly application: KubeObject;
  readonly objects: KubeObject[];
  /** The rendered manifests as one YAML stream. */
  readonly yaml: string;
}

interface ChartSource {
  /** Application name in dist/argocd/apps/. */
  readonly application: string;
  readonly module: { module: string; version: string };
  /** Chart folder inside the module. */
  readonly folder: string;
  /** Chart.yaml version/appVersion the release tool stamps. @default as committed */
  readonly stamp?: string;
  /** values.yaml generated from values.tmpl.yaml with these substitutions. @default none */
  readonly valuesTemplate?: Readonly<Record<string, string>>;
}

const eg = chartModule(platform.envoyGateway, 'github.com/envoyproxy/gateway');

/** The charts rendered here. kube-prometheus-stack, cloudnative-pg: not Go modules (README). */
export const CHART_SOURCES: readonly ChartSource[] = [
  { application: 'cert-manager', module: chartModule(platform.certManager, 'github.com/cert-manager/cert-manager'), folder: 'deploy/charts/cert-manager', stamp: platform.certManager.version },
  // What Envoy Gateway's release does (tools/make/helm.mk): the image of the release, pulled if not present.
  {
    application: 'envoy-gateway',
    module: eg,
    folder: 'charts/gateway-helm',
    stamp: platform.envoyGateway.version,
    valuesTemplate: { GatewayImage: `docker.io/envoyproxy/gateway:${platform.envoyGateway.version}`, GatewayImagePullPolicy: 'IfNotPresent' },
  },
  { application: 'envoy-gateway-crds', module: eg, folder: 'charts/gateway-crds-helm', stamp: platform.envoyGateway.version },
  { application: 'metrics-server', module: chartModule(platform.metricsServer, 'sigs.k8s.io/metrics-server'), folder: 'charts/metrics-server' },
];

const parse = (yaml: string): KubeObject[] => (loadAll(yaml) as (KubeObject | null)[]).filter((o): o is KubeObject => o !== null && typeof o === 'object');

let servedApiVersions: string[] | undefined;

/** API versions the cluster serves, as `helm template --api-versions` wants them (Argo CD passes the same); asked once. */
function apiVersions(): string[] {
  servedApiVersions ??= execFileSync(path.join(cluster().binDir, 'kubectl'), ['--kubeconfig', cluster().kubeconfig, 'api-versions'], { encoding: 'utf8' }).trim().split('\n');
  return servedApiVersions;
}

/** Each component is rendered once per test file, however many tests read it. */
const rendered = new Map<string, RenderedComponent>();
const once = (name: string, render: () => RenderedComponent): RenderedComponent => {
  if (!rendered.has(name)) rendered.set(name, render());
  return rendered.get(name)!;
};

/** The chart folder as released: a writable copy with Chart.yaml stamped and values generated. */
export function releasedChart(source: ChartSource, scratch: string): string {
  const dir = path.join(scratch, source.application);
  fs.cpSync(path.join(moduleDir(source.module.module, source.module.version), source.folder), dir, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', dir]);
  const chartFile = path.join(dir, 'Chart.yaml');
  if (source.stamp) {
    const stamped = fs.readFileSync(chartFile, 'utf8').replace(/^version: .*$/m, `version: ${source.stamp}`).replace(/^appVersion: .*$/m, `appVersion: "${source.stamp}"`);
    fs.writeFileSync(chartFile, stamped);
  }
  if (source.valuesTemplate) {
    let values = fs.readFileSync(path.join(dir, 'values.tmpl.yaml'), 'utf8');
    for (const [key, value] of Object.entries(source.valuesTemplate)) values = values.split(`\${${key}}`).join(value);
    if (/\$\{[A-Za-z]+\}/.test(values)) throw new Error(`${source.application}: values.tmpl.yaml has placeholders left: ${/\$\{[A-Za-z]+\}/.exec(values)![0]}`);
    fs.writeFileSync(path.join(dir, 'values.yaml'), values);
  }
  return dir;
}

/** `helm template` of one chart with its Application's release name, namespace and values. */
export function renderChart(source: ChartSource): RenderedComponent {
  return once(source.application, () => helmTemplate(source));
}

function helmTemplate(source: ChartSource): RenderedComponent {
  const application = platformApplication(source.application);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-chart-'));
  try {
    const dir = releasedChart(source, scratch);
    const chartVersion = /^version: (.*)$/m.exec(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8'))![1].replace(/"/g, '');
    if (chartVersion !== application.spec.source.targetRevision) {
      throw new Error(`${source.application}: the chart source in ${source.module.module}@${source.module.version} is ${chartVersion}, the Application pins ${application.spec.source.targetRevision}`);
    }
    const helm = application.spec.source.helm ?? {};
    const valuesFile = path.join(scratch, 'values.json');
    fs.writeFileSync(valuesFile, JSON.stringify(helm.valuesObject ?? {}));
    const args = ['template', helm.releaseName ?? source.application, dir, '--namespace', application.spec.destination.namespace, '--values', valuesFile, '--kube-version', '1.34.4'];
    args.push(helm.skipCrds ? '--skip-crds' : '--include-crds');
    for (const version of apiVersions()) args.push('--api-versions', version);
    const yaml = execFileSync(path.join(cluster().binDir, 'helm'), args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, HELM_CACHE_HOME: scratch, HELM_CONFIG_HOME: scratch, HELM_DATA_HOME: scratch } });
    return { application, objects: parse(yaml), yaml };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Argo CD's install at the pinned tag, kustomized with the Application's patches. */
export function renderArgoCd(): RenderedComponent {
  return once('argocd', kustomizeArgoCd);
}

function kustomizeArgoCd(): RenderedComponent {
  const application = platformApplication('argocd');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-argocd-install-'));
  try {
    const base = path.join(moduleDir(argocdModule(platform), application.spec.source.targetRevision), application.spec.source.path);
    // kustomize loads bases by relative path from the kustomization's own folder. No
    // namespace here: like Argo CD, the apply gives namespaced objects the destination's.
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [path.relative(scratch, base)],
      patches: application.spec.source.kustomize.patches,
    };
    fs.writeFileSync(path.join(scratch, 'kustomization.yaml'), JSON.stringify(kustomization));
    const yaml = execFileSync(path.join(cluster().binDir, 'kubectl'), ['kustomize', scratch], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return { application, objects: parse(yaml), yaml };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
