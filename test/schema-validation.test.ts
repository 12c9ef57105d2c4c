// Every object in dist/ must be accepted by the API server of both Kubernetes versions (with
// strict field validation) and every custom resource by its CRD.
import * as path from 'node:path';
import { loadArgoCdManifests, loadManifests, type KubeObject } from './support/dist';
import { crdsDir, KUBERNETES_VERSIONS, kubernetesSchemasDir } from './support/schema-dirs';
import { CrdSchemas, KubernetesSchema } from './support/validator';

// Environments and the Argo CD objects of dist/argocd/ alike.
const manifests = [...loadManifests(), ...loadArgoCdManifests()];
const kubernetes = KUBERNETES_VERSIONS.map((version) => new KubernetesSchema(version, path.join(kubernetesSchemasDir(), version, '_definitions.json')));
const crds = new CrdSchemas(crdsDir());
const builtIn = manifests.filter((m) => kubernetes[0].knows(m.object) || kubernetes[1].knows(m.object));
const custom = manifests.filter((m) => !builtIn.includes(m));

test('dist/ holds manifests of every environment and the Argo CD objects', () => {
  expect(new Set(manifests.map((m) => m.environment))).toEqual(new Set(['dev', 'test', 'prod', 'argocd']));
});

test('every Argo CD object is a custom resource validated against the Argo CD CRDs', () => {
  const argocd = custom.filter((m) => m.environment === 'argocd');
  expect(argocd.length).toBeGreaterThan(0);
  expect(argocd.length).toBe(manifests.filter((m) => m.environment === 'argocd').length);
  expect(new Set(argocd.map((m) => m.object.apiVersion))).toEqual(new Set(['argoproj.io/v1alpha1']));
});

describe.each(KUBERNETES_VERSIONS.map((version, index) => [version, kubernetes[index]] as const))('Kubernetes %s', (_version, schema) => {
  test.each(builtIn.map((m) => [m.file, m.object] as const))('%s is valid with no unknown fields', (_file, object) => {
    expect(schema.validate(object).errors).toEqual([]);
  });
});

test.each(custom.map((m) => [m.file, m.object] as const))('custom resource %s is valid against its CRD with no unknown fields', (_file, object) => {
  expect(crds.validate(object).errors).toEqual([]);
});

describe('the validators themselves', () => {
  const deployment = manifests.find((m) => m.object.kind === 'Deployment')!.object;
  const cluster = manifests.find((m) => m.object.kind === 'Cluster')!.object;
  const clone = (object: KubeObject): KubeObject => JSON.parse(JSON.stringify(object));

  test('an unknown field deep inside a Deployment is rejected', () => {
    const broken = clone(deployment);
    broken.spec.template.spec.containers[0].readinesProbe = broken.spec.template.spec.containers[0].readinessProbe;
    expect(kubernetes[0].validate(broken).errors.join('\n')).toContain('readinesProbe');
  });

  test('a wrongly typed field is rejected', () => {
    const broken = clone(deployment);
    broken.spec.replicas = 'three';
    expect(kubernetes[1].validate(broken).valid).toBe(false);
  });

  test('an API removed after Kubernetes 1.28 is rejected by the 1.34 schema', () => {
    const flowSchema: KubeObject = {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
      kind: 'FlowSchema',
      metadata: { name: 'example' },
      spec: { priorityLevelConfiguration: { name: 'global-default' } },
    };
    expect(kubernetes[0].validate(flowSchema).valid).toBe(true);
    expect(kubernetes[1].validate(flowSchema).errors).toEqual(['Kubernetes v1.34.0 does not serve flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema']);
  });

  test('an unknown field in a CloudNativePG Cluster spec is rejected', () => {
    const broken = clone(cluster);
    broken.spec.instance = 3;
    expect(crds.validate(broken).errors.join('\n')).toContain('instance');
  });

  test('an unknown field in an Argo CD Application sync policy is rejected', () => {
    const application = clone(manifests.find((m) => m.object.kind === 'Application')!.object);
    application.spec.syncPolicy.automated.selfheal = true;
    expect(crds.validate(application).errors.join('\n')).toContain('selfheal');
  });

  test('a custom resource without a CRD is rejected', () => {
    expect(crds.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }).valid).toBe(false);
  });
});
