// Installs the upstream CRDs (and Gateway API's ValidatingAdmissionPolicy) that the platform
// Applications install in a real cluster, from the pinned module versions, and waits until
// the API server serves them.
import { kubectl, type KubectlTarget } from './kubectl';
import { waitFor } from './processes';
import { crdSources, manifestFiles, sourceDir } from './upstream-crds';

interface CrdList {
  items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

/** CRDs not yet Established (served). */
async function pendingCrds(target: KubectlTarget): Promise<string[]> {
  const list = JSON.parse(await kubectl(target, ['get', 'crd', '-o', 'json'])) as CrdList;
  return list.items.filter((crd) => !(crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True')).map((crd) => crd.metadata.name);
}

export async function installCrds(target: KubectlTarget): Promise<void> {
  const files = crdSources().flatMap((source) => manifestFiles(sourceDir(source)));
  // Server-side: the biggest CRDs (CloudNativePG's Cluster, Prometheus) exceed the 256 KiB
  // annotation client-side apply would write.
  await kubectl(target, ['apply', '--server-side', '--field-manager=ecodata-cluster', ...files.flatMap((file) => ['-f', file])]);
  // Polled rather than `kubectl wait`, which fails outright on a CRD whose status has no
  // conditions yet (seen here right after the apply).
  await waitFor('every CRD Established', async () => (await pendingCrds(target)).length === 0, 60_000);
}
