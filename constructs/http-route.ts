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
  /**
   * Exact paths that may answer later than the gateway's default request timeout (Envoy's
   * is 15 s), each with its own (a Gateway API duration such as "12m").
   * @default none: every path gets the implementation's default
   */
  readonly slowPaths?: readonly { readonly path: string; readonly requestTimeout: string }[];
}

export class PublicRoute extends Construct {
  public readonly route: HttpRoute;

  constructor(scope: Construct, id: string, props: PublicRouteProps) {
    super(scope, id);
    const backendRef = { group: '', kind: 'Service', name: props.backend.name, port: props.backend.port };
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
          // An Exact match outranks the prefix below, whatever the order.
          ...(props.slowPaths ?? []).map((slow) => ({
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.EXACT, value: slow.path } }],
            backendRefs: [backendRef],
            timeouts: { request: slow.requestTimeout },
          })),
          {
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
            backendRefs: [backendRef],
          },
        ],
      },
    });
  }
}
