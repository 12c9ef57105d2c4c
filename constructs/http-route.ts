// Public exposure through Gateway API: one HTTPRoute for the environment's host, attached to
// a Gateway owned by the platform (named in the environment config), sending all paths to
// a Service.
import { Construct } from 'constructs';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from './imports/gateway.networking.k8s.io';
import { componentLabels } from './labels';

export interface PublicRouteProps {
  /** Name of the HTTPRoute. */
  readonly name: string;
  /** Host name the route answers for. */
  readonly host: string;
  /** Gateway to attach to. */
  readonly gateway: { readonly name: string; readonly namespace: string; readonly sectionName?: string };
  /** Backend Service name and port. */
  readonly backend: { readonly name: string; readonly port: number };
}

export class PublicRoute extends Construct {
  public readonly route: HttpRoute;

  constructor(scope: Construct, id: string, props: PublicRouteProps) {
    super(scope, id);
    this.route = new HttpRoute(this, 'HTTPRoute', {
      metadata: { name: props.name, labels: componentLabels(props.backend.name, props.backend.name) },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: props.gateway.name,
            namespace: props.gateway.namespace,
            sectionName: props.gateway.sectionName,
          },
        ],
        hostnames: [props.host],
        rules: [
          {
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
            backendRefs: [{ group: '', kind: 'Service', name: props.backend.name, port: props.backend.port }],
          },
        ],
      },
    });
  }
}
