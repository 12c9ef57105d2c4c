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
