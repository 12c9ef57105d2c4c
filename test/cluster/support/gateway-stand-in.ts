// STAND-IN for a Gateway API implementation (the platform layer's gateway controller, not
// installed in the test cluster): for each HTTPRoute of the namespaces it writes the status an
// implementation writes when its Gateway accepts the route (Accepted, ResolvedRefs and
// Programmed true for the route's generation), which Argo CD's built-in HTTPRoute health check
// reads. Without it every route stays Progressing ("Waiting for HTTPRoute status").
const CONTROLLER = 'ecodata.example/gateway-stand-in';

interface Route {
  metadata: { name: string; generation: number };
  spec: { parentRefs: { group?: string; kind?: string; name: string; namespace?: string; sectionName?: string }[] };
  status?: { parents?: { conditions?: { observedGeneration?: number }[] }[] };
}

export class GatewayStatusStandIn {
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly kubectl: (args: readonly string[], input?: string) => Promise<string>,
    private readonly namespaces: readonly string[],
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      for (const namespace of this.namespaces) {
        const raw = await this.kubectl(['get', 'httproutes.gateway.networking.k8s.io', '-n', namespace, '-o', 'json']).catch(() => '');
        if (!raw.trim()) continue;
        for (const route of (JSON.parse(raw) as { items: Route[] }).items) {
          const observed = route.status?.parents?.[0]?.conditions?.[0]?.observedGeneration;
          if (observed !== route.metadata.generation) await this.accept(namespace, route).catch(() => undefined);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  private async accept(namespace: string, route: Route): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const condition = (type: string, reason: string) => ({ type, status: 'True', reason, message: `stand-in: ${reason}`, observedGeneration: route.metadata.generation, lastTransitionTime: now });
    const status = {
      status: {
        parents: route.spec.parentRefs.map((parentRef) => ({
          parentRef,
          controllerName: CONTROLLER,
          conditions: [condition('Accepted', 'Accepted'), condition('ResolvedRefs', 'ResolvedRefs'), condition('Programmed', 'Programmed')],
        })),
      },
    };
    await this.kubectl(['patch', 'httproutes.gateway.networking.k8s.io', route.metadata.name, '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
