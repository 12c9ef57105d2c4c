// STAND-IN for the CloudNativePG operator's instance pods. The operator cannot drive kwok's
// simulated pods, so nothing creates the database pods in the test cluster; these carry the
// labels and ports CloudNativePG 1.30 gives an instance pod (pkg/utils/labels_annotations.go:
// cnpg.io/cluster, cnpg.io/instanceName, cnpg.io/podRole, cnpg.io/instanceRole; ports in
// pkg/management/url/url.go: postgresql 5432, metrics
// 9187, status 8000), so the NetworkPolicies aimed at the database can be checked against
// pods. Named and labelled as stand-ins; never part of dist/.
const CLUSTER = 'database';

export function databaseInstancePods(namespace: string, instances = 1): string {
  return Array.from({ length: instances }, (_, i) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${CLUSTER}-${i + 1}`,
        namespace,
        labels: {
          'cnpg.io/cluster': CLUSTER,
          'cnpg.io/instanceName': `${CLUSTER}-${i + 1}`,
          'cnpg.io/podRole': 'instance',
          'cnpg.io/instanceRole': i === 0 ? 'primary' : 'replica',
          'ecodata.example/stand-in': 'cnpg-instance',
        },
      },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 26, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'postgres',
            image: 'ghcr.io/cloudnative-pg/postgresql@sha256:' + '0'.repeat(64),
            ports: [
              { name: 'postgresql', containerPort: 5432 },
              { name: 'metrics', containerPort: 9187 },
              { name: 'status', containerPort: 8000 },
            ],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    }),
  ).join('\n---\n');
}

/**
 * STAND-IN for the CloudNativePG operator's reconciliation, as far as Argo CD sees it: once a
 * `Cluster` named `database` exists in one of the namespaces, and `healthyAfterMs` later (an
 * operator needs time too, and the delay makes the order of waves observable), it creates the
 * `database-app` Secret the operator would create and writes the status the operator writes
 * when every instance is ready (`phase: Cluster in healthy state`, condition Ready), which
 * Argo CD's built-in health check for Cluster reads. A Cluster created anew is handled anew.
 */
export class CnpgStatusStandIn {
  /** When the stand-in declared each namespace's Cluster healthy, by Cluster uid. */
  readonly healthyAt = new Map<string, Date>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly kubectl: (args: readonly string[], input?: string) => Promise<string>,
    private readonly namespaces: readonly string[],
    private readonly healthyAfterMs = 2_000,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const seen = new Map<string, number>();
    while (this.running) {
      for (const namespace of this.namespaces) {
        const raw = await this.kubectl(['get', 'clusters.postgresql.cnpg.io', CLUSTER, '-n', namespace, '-o', 'json', '--ignore-not-found']).catch(() => '');
        if (!raw.trim()) continue;
        const cluster = JSON.parse(raw) as { metadata: { uid: string }; spec: { instances?: number }; status?: { phase?: string } };
        const uid = cluster.metadata.uid;
        if (!seen.has(uid)) {
          seen.set(uid, Date.now());
          // The operator writes a first status at once; Argo CD's Cluster health check fails
          // on a Cluster with no status at all (it indexes status.phaseReason).
          await this.writeStatus(namespace, 'Setting up primary', 'False', 0, cluster.spec.instances ?? 1);
        }
        if (this.healthyAt.has(uid) || Date.now() - seen.get(uid)! < this.healthyAfterMs) continue;
        await this.makeHealthy(namespace, cluster.spec.instances ?? 1);
        this.healthyAt.set(uid, new Date());
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  private async makeHealthy(namespace: string, instances: number): Promise<void> {
    const password = Math.random().toString(36).slice(2);
    const host = `${CLUSTER}-rw`;
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/basic-auth',
      metadata: { name: `${CLUSTER}-app`, namespace, labels: { 'cnpg.io/cluster': CLUSTER, 'cnpg.io/reload': 'true', 'ecodata.example/stand-in': 'cnpg-operator' } },
      stringData: { username: 'app', password, dbname: 'app', host, port: '5432', uri: `postgresql://app:${password}@${host}.${namespace}:5432/app` },
    };
    await this.kubectl(['apply', '--server-side', '--field-manager=cnpg-stand-in', '-f', '-'], JSON.stringify(secret));
    await this.writeStatus(namespace, 'Cluster in healthy state', 'True', instances, instances);
  }

  private async writeStatus(namespace: string, phase: string, ready: 'True' | 'False', readyInstances: number, instances: number): Promise<void> {
    const status = {
      status: {
        phase,
        phaseReason: `stand-in: ${readyInstances} of ${instances} instances ready`,
        instances,
        readyInstances,
        conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'ClusterIsReady' : 'ClusterIsNotReady', message: `Cluster is ${ready === 'True' ? '' : 'not '}Ready`, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
      },
    };
    await this.kubectl(['patch', 'clusters.postgresql.cnpg.io', CLUSTER, '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
