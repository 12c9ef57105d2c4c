// The one public entry point of the cluster: a Gateway with a plain-HTTP listener that only
// redirects to HTTPS (and carries cert-manager's ACME HTTP-01 challenges), and one HTTPS
// listener per site, each with its own certificate and admitting routes from one namespace.
import { Construct } from 'constructs';
import { Gateway, GatewayClass, HttpRoute, HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType } from '../imports/gateway.networking.k8s.io';
import { GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode } from '../imports/gateway.networking.k8s.io';

/** Name of the plain-HTTP listener (redirects and ACME challenges only). */
export const HTTP_LISTENER = 'http';

/** One HTTPS site of the Gateway. */
export interface HttpsListener {
  /** Listener name (an HTTPRoute's `sectionName`). */
  readonly name: string;
  /** Host name it answers for (SNI and Host). */
  readonly hostname: string;
  /** Secret (in the Gateway's namespace) holding the certificate. */
  readonly certificateSecret: string;
  /** The only namespace whose HTTPRoutes may attach. */
  readonly routeNamespace: string;
}

export interface PublicGatewayProps {
  /** Gateway name. */
  readonly name: string;
  /** GatewayClass name. */
  readonly className: string;
  /** Controller of that class. */
  readonly controllerName: string;
  /** The HTTPS sites. */
  readonly listeners: readonly HttpsListener[];
  /** HTTP port. @default 80 */
  readonly httpPort?: number;
  /** HTTPS port. @default 443 */
  readonly httpsPort?: number;
}

export class PublicGateway extends Construct {
  public readonly gatewayClass: GatewayClass;
  public readonly gateway: Gateway;
  public readonly redirect: HttpRoute;

  constructor(scope: Construct, id: string, props: PublicGatewayProps) {
    super(scope, id);
    const names = props.listeners.map((l) => l.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index || name === HTTP_LISTENER);
    if (duplicate !== undefined) throw new Error(`Gateway ${props.name}: listener name "${duplicate}" is used twice (or is the HTTP listener's)`);

    this.gatewayClass = new GatewayClass(this, 'GatewayClass', {
      metadata: { name: props.className },
      spec: { controllerName: props.controllerName },
    });
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: { name: props.name },
      spec: {
        gatewayClassName: props.className,
        listeners: [
          {
            name: HTTP_LISTENER,
            protocol: 'HTTP',
            port: props.httpPort ?? 80,
            // Only routes of the Gateway's own namespace: the redirect below and the
            // challenge routes cert-manager creates next to the Certificates.
            allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
          },
          ...props.listeners.map((listener) => ({
            name: listener.name,
            protocol: 'HTTPS',
            port: props.httpsPort ?? 443,
            hostname: listener.hostname,
            tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: listener.certificateSecret }] },
            allowedRoutes: {
              namespaces: {
                from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
                selector: { matchLabels: { 'kubernetes.io/metadata.name': listener.routeNamespace } },
              },
              kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
            },
          })),
        ],
      },
    });
    // Every plain-HTTP request is sent to HTTPS; ACME's exact /.well-known/acme-challenge/<token>
    // matches of cert-manager's routes are more specific than this prefix, so they still win.
    this.redirect = new HttpRoute(this, 'HttpsRedirect', {
      metadata: { name: `${props.name}-https-redirect` },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.name, sectionName: HTTP_LISTENER }],
        hostnames: props.listeners.map((l) => l.hostname),
        rules: [
          {
            filters: [
              {
                type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
                requestRedirect: { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301 },
              },
            ],
          },
        ],
      },
    });
  }
}
