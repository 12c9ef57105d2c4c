// Zero-trust networking for one environment: everything is denied, then each flow the app
// needs is allowed explicitly, on both ends (egress of the client, ingress of the server).
// Namespaces are matched by `kubernetes.io/metadata.name`, which the API server sets itself.
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

type Labels = Readonly<Record<string, string>>;
type NetworkPolicyPeer = kplus.k8s.NetworkPolicyPeer;
type NetworkPolicyPort = kplus.k8s.NetworkPolicyPort;

export interface Workload {
  /** Object name prefix for the workload's policy. */
  readonly name: string;
  /** Labels selecting its pods. */
  readonly selector: Labels;
  /** Port it serves on (HTTP, PostgreSQL). */
  readonly port: number;
}

/** An HTTP service that serves /metrics on a separate management port. */
export interface ManagedWorkload extends Workload {
  /** Port of /metrics and the probes: Prometheus only. */
  readonly managementPort: number;
}

/** Addresses outside the cluster, by CIDR and port. */
export interface ExternalEndpoint {
  readonly cidrs: readonly string[];
  readonly ports: readonly number[];
}

/** Pods outside the environment, by namespace and labels. */
export interface PodsInNamespace {
  readonly namespace: string;
  readonly podLabels: Labels;
}

export interface AppNetworkPoliciesProps {
  /** The public web front. */
  readonly front: ManagedWorkload;
  /** The API behind it. */
  readonly api: ManagedWorkload;
  /** The database migration Job's pods (they only talk to PostgreSQL). @default no migration Job */
  readonly migration?: { readonly name: string; readonly selector: Labels };
  /** The PostgreSQL instances (CloudNativePG pods). */
  readonly database: Workload & {
    /** Port of the PostgreSQL exporter scraped by Prometheus. */
    readonly metricsPort: number;
    /** Port of the CNPG instance manager the operator calls. @default 8000 */
    readonly instanceManagerPort?: number;
  };
  /** The Gateway API proxy pods that forward public traffic to the front. */
  readonly gatewayProxies: PodsInNamespace;
  /** The Prometheus pods that scrape the metrics endpoints. */
  readonly prometheus: PodsInNamespace;
  /** Namespace of the CloudNativePG operator. */
  readonly cnpgOperatorNamespace: string;
  /** Where the Kubernetes API server can be reached from pods (CIDRs and ports). */
  readonly kubernetesApi: ExternalEndpoint;
  /** Where PostgreSQL pods reach the backup object store (WAL archiving, base backups). @default no egress to it */
  readonly objectStore?: ExternalEndpoint;
  /**
   * Where the front (discovery, token endpoint) and the API (its signing keys) reach the
   * OpenID provider. @default no egress to it
   */
  readonly identityProvider?: ExternalEndpoint;
  /** Namespace of the cluster DNS. @default 'kube-system' */
  readonly dnsNamespace?: string;
}

const tcp = (port: number): NetworkPolicyPort => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) });
const udp = (port: number): NetworkPolicyPort => ({ protocol: 'UDP', port: kplus.k8s.IntOrString.fromNumber(port) });
const inNamespace = (name: string): NetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const pods = (selector: Labels): NetworkPolicyPeer => ({ podSelector: { matchLabels: { ...selector } } });
/** Both selectors in one peer: those pods of that namespace only (not every pod there). */
const podsIn = (peer: PodsInNamespace): NetworkPolicyPeer => ({ ...inNamespace(peer.namespace), ...pods(peer.podLabels) });
const external = (endpoint: ExternalEndpoint) => ({ to: endpoint.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: endpoint.ports.map(tcp) });

export class AppNetworkPolicies extends Construct {
  public readonly defaultDeny: kplus.k8s.KubeNetworkPolicy;
  public readonly dns: kplus.k8s.KubeNetworkPolicy;
  public readonly front: kplus.k8s.KubeNetworkPolicy;
  public readonly api: kplus.k8s.KubeNetworkPolicy;
  public readonly database: kplus.k8s.KubeNetworkPolicy;
  public readonly migration?: kplus.k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: AppNetworkPoliciesProps) {
    super(scope, id);
    const { front, api, database, migration } = props;
    const instanceManagerPort = database.instanceManagerPort ?? 8000;
    const policy = (cid: string, name: string, spec: kplus.k8s.NetworkPolicySpec) =>
      new kplus.k8s.KubeNetworkPolicy(this, cid, { metadata: { name }, spec });

    // Nothing in the namespace talks to anything, in either direction, unless allowed below.
    this.defaultDeny = policy('DefaultDeny', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    // Every pod resolves Service names through the cluster DNS.
    this.dns = policy('Dns', 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [inNamespace(props.dnsNamespace ?? 'kube-system')], ports: [udp(53), tcp(53)] }],
    });

    this.front = policy('Front', front.name, {
      podSelector: { matchLabels: { ...front.selector } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        // Public traffic arrives through the Gateway's data-plane pods, on the application
        // port only (the front trusts their X-Forwarded-Proto; nobody else can send it).
        { from: [podsIn(props.gatewayProxies)], ports: [tcp(front.port)] },
        // Prometheus scrapes /metrics on the management port.
        { from: [podsIn(props.prometheus)], ports: [tcp(front.managementPort)] },
      ],
      egress: [
        // Server-side rendering calls the API (API_URL); its readiness asks the API's health
        // on the management port (API_MANAGEMENT_URL).
        { to: [pods(api.selector)], ports: [tcp(api.port), tcp(api.managementPort)] },
        // Sign-in: discovery, the token endpoint, revocation at the OpenID provider.
        ...(props.identityProvider ? [external(props.identityProvider)] : []),
      ],
    });

    this.api = policy('Api', api.name, {
      podSelector: { matchLabels: { ...api.selector } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        // Only the front calls the API (and asks its health); it is not exposed publicly.
        { from: [pods(front.selector)], ports: [tcp(api.port), tcp(api.managementPort)] },
        // Prometheus scrapes /metrics on the management port.
        { from: [podsIn(props.prometheus)], ports: [tcp(api.managementPort)] },
      ],
      egress: [
        // PostgreSQL (DATABASE_URL points at the -rw Service).
        { to: [pods(database.selector)], ports: [tcp(database.port)] },
        // The OpenID provider's signing keys (JWKS), to check access tokens.
        ...(props.identityProvider ? [external(props.identityProvider)] : []),
      ],
    });

    this.database = policy('Database', database.name, {
      podSelector: { matchLabels: { ...database.selector } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        // Application connections from the API pods.
        { from: [pods(api.selector)], ports: [tcp(database.port)] },
        // Schema migrations from the migration Job's pod.
        ...(migration ? [{ from: [pods(migration.selector)], ports: [tcp(database.port)] }] : []),
        // The operator polls each instance manager's status endpoint and connects to PostgreSQL.
        { from: [inNamespace(props.cnpgOperatorNamespace)], ports: [tcp(instanceManagerPort), tcp(database.port)] },
        // Streaming replication and pg_rewind between instances of the same cluster.
        { from: [pods(database.selector)], ports: [tcp(database.port)] },
        // Prometheus scrapes the exporter built into every instance.
        { from: [podsIn(props.prometheus)], ports: [tcp(database.metricsPort)] },
      ],
      egress: [
        // Replicas stream WAL from the primary.
        { to: [pods(database.selector)], ports: [tcp(database.port)] },
        // Instance managers (and the bootstrap Jobs, which carry the same label) watch and
        // update the Cluster through the Kubernetes API; it has no pod label to select.
        external(props.kubernetesApi),
        // The Barman Cloud sidecar archives WAL and uploads base backups to the object store
        // (the recovery Job reads them back); a bucket has no pod label either.
        ...(props.objectStore ? [external(props.objectStore)] : []),
      ],
    });

    if (migration) {
      // The migration Job connects to PostgreSQL (DNS comes from allow-dns); nothing connects to it.
      this.migration = policy('Migration', migration.name, {
        podSelector: { matchLabels: { ...migration.selector } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [{ to: [pods(database.selector)], ports: [tcp(database.port)] }],
      });
    }
  }
}
