// The simulated nodes kwok plays: spread over zones as a real regional cluster is, so the
// topology spread constraints of prod have somewhere to spread to.
export interface NodeLayout {
  readonly zones: readonly string[];
  /** Nodes per zone. */
  readonly perZone: number;
}

export const DEFAULT_NODES: NodeLayout = { zones: ['zone-a', 'zone-b', 'zone-c'], perZone: 2 };

export function nodeNames(layout: NodeLayout = DEFAULT_NODES): { name: string; zone: string }[] {
  return layout.zones.flatMap((zone) => Array.from({ length: layout.perZone }, (_, i) => ({ name: `kwok-${zone}-${i + 1}`, zone })));
}

/** Node objects as a multi-document YAML stream (JSON documents are YAML). */
export function nodeManifests(layout: NodeLayout = DEFAULT_NODES): string {
  return nodeNames(layout)
    .map(({ name, zone }) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          // kwok manages the nodes carrying this annotation (its --manage-nodes-with-annotation-selector).
          annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
          labels: {
            'kubernetes.io/hostname': name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'node.kubernetes.io/instance-type': 'kwok',
            'topology.kubernetes.io/region': 'kwok',
            'topology.kubernetes.io/zone': zone,
            type: 'kwok',
          },
        },
        spec: {},
        status: {
          allocatable: { cpu: '16', memory: '64Gi', pods: '110' },
          capacity: { cpu: '16', memory: '64Gi', pods: '110' },
          nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'kwok', kubeProxyVersion: 'kwok' },
        },
      }),
    )
    .join('\n---\n');
}
