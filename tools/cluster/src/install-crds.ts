// Installs the upstream CRDs (and Gateway API's ValidatingAdmissionPolicy) that the platform
// Applications install in a real cluster, from the pinned module versions, and waits until
// the API server serves them.
import { kubectl, type KubectlTarget } from './kubectl';
import { crdSources, manifestFiles, sourceDir } from './upstream-crds';

export async function installCrds(target: KubectlTarget): Promise<void> {
  const files = crdSources().flatMap((source) => manifestFiles(sourceDir(source)));
  // Server-side: the biggest CRDs (CloudNativePG's Cluster, Prometheus) exceed the 256 KiB
  // annotation client-side apply would write.
  await kubectl(target, ['apply', '--server-side', '--field-manager=ecodata-cluster', ...files.flatMap((file) => ['-f', file])]);
  await kubectl(target, ['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
}
