// The environment's Namespace, enforcing the restricted Pod Security Standard: the API server
// itself rejects any pod that runs as root, keeps capabilities or escalates privileges.
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface RestrictedNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /** Extra labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export class RestrictedNamespace extends Construct {
  public readonly name: string;
  public readonly namespace: kplus.k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = new kplus.k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          // warn/audit as well, so kubectl users and audit logs see violations by name.
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    // Charts stamp their namespace on every object; a Namespace is cluster-scoped.
    ApiObject.of(this.namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
