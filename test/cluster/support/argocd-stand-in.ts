// STAND-IN for the Argo CD installation: README's bootstrap installs Argo CD by hand into the
// `argocd` namespace before `kubectl apply -f dist/argocd/bootstrap/`. Its CRDs are installed
// with the cluster (tools/cluster, from the pinned Argo CD module); the namespace is all the
// objects of dist/argocd/ need besides.
import { kubectl } from './cluster';

export async function ensureArgoCdNamespace(): Promise<void> {
  await kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } }));
}
