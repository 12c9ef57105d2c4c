// The upstream CRDs come from the module versions environments/platform.ts pins, and together
// they define every custom kind the rendered manifests use.
import fs from 'node:fs';
import path from 'node:path';
import { load, loadAll } from 'js-yaml';
import { platform } from '../../../environments/platform';
import { parsePlatform } from '../../../environments/load';
import { crdSources, manifestFiles, sourceDir } from '../src/upstream-crds';

const root = path.resolve(__dirname, '..', '..', '..');

test('each source takes its version from the platform configuration', () => {
  const config = parsePlatform(platform);
  const byName = Object.fromEntries(crdSources(config).map((s) => [s.name, s.version]));
  expect(byName).toEqual({
    'cloudnative-pg': `v${config.cloudnativePg.appVersion}`,
    'gateway-api': config.gatewayApiCrds.version,
    'prometheus-operator': config.prometheusOperatorCrds.version,
    'argo-cd': config.argocd.version,
    'barman-cloud': config.barmanCloudPlugin.pluginVersion,
    'cert-manager': config.certManager.version,
    'envoy-gateway': config.envoyGateway.version,
  });
});

test('a changed version changes the module read', () => {
  const config = parsePlatform({ ...platform, gatewayApiCrds: { ...platform.gatewayApiCrds, version: 'v1.5.1' } });
  expect(crdSources(config).find((s) => s.name === 'gateway-api')).toMatchObject({ module: 'sigs.k8s.io/gateway-api', version: 'v1.5.1' });
});

test('every custom kind in dist/ is defined by one of the pinned CRDs', () => {
  const defined = new Set<string>();
  for (const source of crdSources()) {
    for (const file of manifestFiles(sourceDir(source))) {
      for (const doc of loadAll(fs.readFileSync(file, 'utf8')) as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string }[] } }[]) {
        if (doc?.kind !== 'CustomResourceDefinition') continue;
        for (const version of doc.spec!.versions) defined.add(`${doc.spec!.group}/${version.name}/${doc.spec!.names.kind}`);
      }
    }
  }
  const used = new Set<string>();
  const dist = path.join(root, 'dist');
  for (const file of fs.readdirSync(dist, { recursive: true }) as string[]) {
    if (!file.endsWith('.yaml')) continue;
    const object = load(fs.readFileSync(path.join(dist, file), 'utf8')) as { apiVersion: string; kind: string };
    if (object.apiVersion.includes('.') && !/\.k8s\.io\//.test(object.apiVersion)) used.add(`${object.apiVersion}/${object.kind}`);
    if (object.apiVersion.startsWith('gateway.networking.k8s.io/')) used.add(`${object.apiVersion}/${object.kind}`);
  }
  expect(used.size).toBeGreaterThan(4);
  expect([...used].filter((kind) => !defined.has(kind))).toEqual([]);
});
