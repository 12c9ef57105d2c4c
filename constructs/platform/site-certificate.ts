// The certificate of one HTTPS site, issued into the Secret its Gateway listener serves.
import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../imports/cert-manager.io';

export interface SiteCertificateProps {
  /** Certificate name. */
  readonly name: string;
  /** The host name it covers. */
  readonly hostname: string;
  /** Secret the key pair is written to. */
  readonly secretName: string;
  /** ClusterIssuer that signs it. */
  readonly issuer: string;
}

export class SiteCertificate extends Construct {
  public readonly certificate: Certificate;

  constructor(scope: Construct, id: string, props: SiteCertificateProps) {
    super(scope, id);
    this.certificate = new Certificate(this, 'Certificate', {
      metadata: { name: props.name },
      spec: {
        secretName: props.secretName,
        dnsNames: [props.hostname],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: props.issuer },
        // A new key on every renewal: a leaked key stops being useful at the next one.
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
      },
    });
  }
}
