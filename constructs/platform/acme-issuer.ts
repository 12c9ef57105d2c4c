// A cert-manager ClusterIssuer for an ACME directory (Let's Encrypt), answering HTTP-01
// challenges through a Gateway listener: cert-manager creates a short-lived HTTPRoute on it
// for each challenge (cert-manager's Gateway API support, enableGatewayAPI in its values).
import { Construct } from 'constructs';
import { ClusterIssuer } from '../imports/cert-manager.io';

export interface AcmeClusterIssuerProps {
  /** ClusterIssuer name. */
  readonly name: string;
  /** ACME directory URL. */
  readonly server: string;
  /** E-mail of the ACME account. */
  readonly email: string;
  /** The Gateway listener HTTP-01 challenges are served on. */
  readonly gateway: { readonly name: string; readonly namespace: string; readonly sectionName: string };
}

export class AcmeClusterIssuer extends Construct {
  public readonly issuer: ClusterIssuer;

  constructor(scope: Construct, id: string, props: AcmeClusterIssuerProps) {
    super(scope, id);
    this.issuer = new ClusterIssuer(this, 'ClusterIssuer', {
      metadata: { name: props.name },
      spec: {
        acme: {
          server: props.server,
          email: props.email,
          // cert-manager generates the account key into this Secret on first use.
          privateKeySecretRef: { name: `${props.name}-account-key` },
          solvers: [{ http01: { gatewayHttpRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', ...props.gateway }] } } }],
        },
      },
    });
  }
}
