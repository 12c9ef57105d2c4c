// The consumer modules that build the control plane pin what README and the platform say, and
// the Kubernetes one replaces exactly the staging modules of the release it requires.
import fs from 'node:fs';
import path from 'node:path';
import { moduleDir } from '../src/upstream-crds';
import { requiredVersion } from '../src/go-mod';
import { kwokStageFiles, kwokVersion } from '../src/kwok';
import { platform } from '../../../environments/platform';
import { parsePlatform } from '../../../environments/load';

const modules = path.resolve(__dirname, '..', 'modules');
const goMod = (name: string) => fs.readFileSync(path.join(modules, name, 'go.mod'), 'utf8');
const required = (name: string, module: string) => requiredVersion(path.join(modules, name, 'go.mod'), module);

describe('modules/kubernetes/go.mod', () => {
  const text = goMod('kubernetes');
  const version = required('kubernetes', 'k8s.io/kubernetes');

  test('requires a Kubernetes 1.34 release', () => {
    expect(version).toMatch(/^v1\.34\.\d+$/);
  });

  test("replaces exactly the staging modules of that release's go.mod, each with its published v0 release", () => {
    const upstream = fs.readFileSync(path.join(moduleDir('k8s.io/kubernetes', version), 'go.mod'), 'utf8');
    const staging = [...upstream.matchAll(/^\s+(k8s\.io\/\S+) => \.\/staging\/\S+$/gm)].map((m) => m[1]).sort();
    expect(staging.length).toBeGreaterThan(20);
    const replaced = [...text.matchAll(/^\s+(k8s\.io\/\S+) => (k8s\.io\/\S+) (v\S+)$/gm)];
    expect(replaced.map((m) => m[1]).sort()).toEqual(staging);
    for (const [, from, to, at] of replaced) expect({ from, to, at }).toEqual({ from, to: from, at: `v0.${version.slice(3)}` });
  });

  test('builds the four control-plane commands as tools', () => {
    for (const command of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl']) expect(text).toContain(`\tk8s.io/kubernetes/cmd/${command}\n`);
  });
});

test('etcd is a 3.6 release, its sibling modules replaced at the same version', () => {
  const text = goMod('etcd');
  const version = required('etcd', 'go.etcd.io/etcd/server/v3');
  expect(version).toMatch(/^v3\.6\.\d+$/);
  const replaced = [...text.matchAll(/^\s+(go\.etcd\.io\/\S+) => \S+ (v\S+)$/gm)].map((m) => m[2]);
  expect(replaced).toHaveLength(4);
  expect(new Set(replaced)).toEqual(new Set([version]));
});

test('kwok is a 0.8 release and every stage file it is given exists in its module', () => {
  expect(kwokVersion()).toMatch(/^v0\.8\.\d+$/);
  for (const file of kwokStageFiles()) expect(fs.existsSync(file)).toBe(true);
});

test('Argo CD is built at exactly the version the platform configuration pins', () => {
  const pinned = parsePlatform(platform).argocd.version;
  expect(required('argocd', 'github.com/argoproj/argo-cd/v3')).toBe(pinned);
  // The nested gitops-engine module is replaced by a version the module proxy serves.
  expect(goMod('argocd')).toMatch(/^replace github\.com\/argoproj\/argo-cd\/gitops-engine => github\.com\/argoproj\/argo-cd\/gitops-engine v\S+$/m);
});

test('SeaweedFS (the backup drill store) is pinned to one commit, with the replace its own go.mod carries', () => {
  const text = goMod('seaweedfs');
  expect(required('seaweedfs', 'github.com/seaweedfs/seaweedfs')).toMatch(/^v0\.0\.0-\d{14}-[0-9a-f]{12}$/);
  expect(text).toMatch(/^tool github\.com\/seaweedfs\/seaweedfs\/weed$/m);
  // Without it the consumer would build against the original go-bip39, which SeaweedFS replaces.
  expect(text).toMatch(/^replace github\.com\/tyler-smith\/go-bip39 => github\.com\/cosmos\/go-bip39 v1\.0\.0$/m);
  expect(fs.readFileSync(path.join(modules, '..', 'build.sh'), 'utf8')).toMatch(/^groups=\(.*\bseaweedfs\b.*\)$/m);
});
