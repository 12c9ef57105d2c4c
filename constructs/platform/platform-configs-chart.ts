// dist/platform/: the configuration of the platform's controllers, synced by the
// `platform-configs` Application once the controllers are Healthy (flux2-kustomize-helm-
// example's infrastructure/configs): the gateway namespace, the GatewayClass and public
// Gateway with one HTTPS listener per environment, each environment's certificate, and the
// ACME ClusterIssuers.
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../environments/platform-schema';
import type { EnvironmentConfig } from '../../environments/schema';
import { ENVOY_GATEWAY_CONTROLLER } from '../argocd/platform-values';
import { AcmeClusterIssuer } from './acme-issuer';
import { HTTP_LISTENER, PublicGateway } from './public-gateway';
import { SiteCertificate } from './site-certificate';

/** Folder (under the output folder) of the chart. */
export const PLATFORM_CONFIGS_FOLDER = 'platform';

export interface PlatformConfigsChartProps {
  /** The validated platform configuration. */
  readonly platform: PlatformConfig;
  /** Every environment, validated: each gets a listener and a certificate. */
  readonly environments: readonly EnvironmentConfig[];
}

/** Secret holding an environment's certificate, in the gateway namespace. */
export const certificateSecretOf = (environment: EnvironmentConfig): string => `${environment.namespace}-tls`;

export class PlatformConfigsChart extends Chart {
  public readonly gateway: PublicGateway;
  public readonly issuers: readonly AcmeClusterIssuer[];
  public readonly certificates: readonly SiteCertificate[];

  constructor(scope: Construct, id: string, props: PlatformConfigsChartProps) {
    const { platform, environments } = props;
    super(scope, id, { namespace: platform.gateway.namespace, disableResourceNameHashes: true });

    // Proxy pods run here (Envoy Gateway's GatewayNamespace mode). Baseline is enforced;
    // restricted is audited and warned about, since the proxy pods' security context is
    // Envoy Gateway's, not ours.
    new kplus.k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: platform.gateway.namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });

    this.gateway = new PublicGateway(this, 'Gateway', {
      name: platform.gateway.name,
      className: platform.gateway.className,
      controllerName: ENVOY_GATEWAY_CONTROLLER,
      listeners: environments.map((environment) => ({
        name: environment.gateway.sectionName,
        hostname: environment.host,
        certificateSecret: certificateSecretOf(environment),
        routeNamespace: environment.namespace,
      })),
    });

    this.certificates = environments.map(
      (environment) =>
        new SiteCertificate(this, `Certificate-${environment.name}`, {
          name: environment.namespace,
          hostname: environment.host,
          secretName: certificateSecretOf(environment),
          issuer: environment.tls.issuer,
        }),
    );

    this.issuers = Object.entries(platform.tls.issuers).map(
      ([name, issuer]) =>
        new AcmeClusterIssuer(this, `Issuer-${name}`, {
          name,
          server: issuer.server,
          email: platform.tls.acmeEmail,
          gateway: { name: platform.gateway.name, namespace: platform.gateway.namespace, sectionName: HTTP_LISTENER },
        }),
    );
  }
}
