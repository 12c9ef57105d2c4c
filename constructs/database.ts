// PostgreSQL as a CloudNativePG Cluster. The operator creates the `<name>-app` Secret (key
// `uri`) the API reads, so no credential is ever written to git. With `walArchive`, the
// Barman Cloud plugin archives its WAL continuously; with `recovery`, the Cluster starts as a
// point-in-time restore of another server's backups instead of an empty database.
import { Construct } from 'constructs';
import {
  Cluster,
  ClusterSpecPrimaryUpdateStrategy,
  ClusterSpecResourcesLimits,
  ClusterSpecResourcesRequests,
} from './imports/postgresql.cnpg.io';
import { BARMAN_CLOUD_PLUGIN } from './database-backup';
import { componentLabels } from './labels';
import { toQuantities, type ComputeResources } from './resources';

export interface DatabaseProps {
  /** Name of the Cluster; pods carry `cnpg.io/cluster=<name>`, the Secret is `<name>-app`. @default 'database' */
  readonly name?: string;
  /** PostgreSQL instances (1 primary + replicas). */
  readonly instances: number;
  /** PVC size per instance, e.g. '10Gi'. */
  readonly storageSize: string;
  /** StorageClass of the PVCs. @default the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Requests and limits of each instance. */
  readonly resources: ComputeResources;
  /** Database created at bootstrap. @default 'ecodata' */
  readonly databaseName?: string;
  /** Owner role of that database (the role in the `-app` Secret). @default 'ecodata' */
  readonly owner?: string;
  /** Require instances on different nodes (needs as many nodes as instances). @default false */
  readonly requireSeparateNodes?: boolean;
  /** PostgreSQL `max_connections`. @default 100 (PostgreSQL's own default) */
  readonly maxConnections?: number;
  /** PostgreSQL `archive_timeout` (e.g. '60s', '5min'): the most a commit waits to be archived. @default CloudNativePG's '5min' */
  readonly archiveTimeout?: string;
  /** Archive WAL through the Barman Cloud plugin into this ObjectStore, under the Cluster's name. @default no archiving */
  readonly walArchive?: { readonly objectStoreName: string };
  /** Bootstrap as a restore of `fromServer`'s backups in this ObjectStore, up to `targetTime`. @default an empty database (initdb) */
  readonly recovery?: { readonly objectStoreName: string; readonly fromServer: string; readonly targetTime?: string };
  /** Annotations of the instances' ServiceAccount (workload identity for the object store). @default none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}

/** Name of the externalClusters entry a recovery bootstraps from. */
const RECOVERY_SOURCE = 'origin';

export class Database extends Construct {
  public readonly name: string;
  /** Secret created by the operator with the application credentials. */
  public readonly appSecretName: string;
  /** Labels carried by every instance pod, for NetworkPolicies. */
  public readonly podSelector: Readonly<Record<string, string>>;
  /** Port of PostgreSQL. */
  public readonly port = 5432;
  /** Port of the built-in Prometheus exporter of each instance. */
  public readonly metricsPort = 9187;
  public readonly cluster: Cluster;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    if (!Number.isInteger(props.instances) || props.instances < 1) {
      throw new Error(`Database ${props.name ?? 'database'}: instances must be a positive integer, got ${props.instances}`);
    }
    this.name = props.name ?? 'database';
    this.appSecretName = `${this.name}-app`;
    this.podSelector = { 'cnpg.io/cluster': this.name };
    const requests = toQuantities(props.resources.requests);
    const limits = toQuantities(props.resources.limits);
    const database = props.databaseName ?? 'ecodata';
    const owner = props.owner ?? 'ecodata';
    if (props.recovery && props.recovery.fromServer === this.name) {
      throw new Error(`Database ${this.name}: recovery.fromServer must name another server than the Cluster itself (its WAL would mix with the old server's)`);
    }
    const parameters: Record<string, string> = { max_connections: String(props.maxConnections ?? 100) };
    if (props.archiveTimeout !== undefined) parameters.archive_timeout = props.archiveTimeout;
    const annotations = props.serviceAccountAnnotations ?? {};

    this.cluster = new Cluster(this, 'Cluster', {
      metadata: { name: this.name, labels: componentLabels(this.name, 'database') },
      spec: {
        instances: props.instances,
        // Updates of the primary (switchover) proceed without a human.
        primaryUpdateStrategy: ClusterSpecPrimaryUpdateStrategy.UNSUPERVISED,
        enablePdb: true,
        postgresql: { parameters },
        bootstrap: props.recovery
          ? { recovery: { source: RECOVERY_SOURCE, database, owner, ...(props.recovery.targetTime ? { recoveryTarget: { targetTime: props.recovery.targetTime } } : {}) } }
          : { initdb: { database, owner } },
        // The restore source: the old server's base backups and WAL, read through the plugin.
        externalClusters: props.recovery
          ? [{ name: RECOVERY_SOURCE, plugin: { name: BARMAN_CLOUD_PLUGIN, parameters: { barmanObjectName: props.recovery.objectStoreName, serverName: props.recovery.fromServer } } }]
          : undefined,
        // The Cluster's own WAL, under its own name (serverName defaults to it).
        plugins: props.walArchive ? [{ name: BARMAN_CLOUD_PLUGIN, isWalArchiver: true, parameters: { barmanObjectName: props.walArchive.objectStoreName } }] : undefined,
        serviceAccountTemplate: Object.keys(annotations).length > 0 ? { metadata: { annotations: { ...annotations } } } : undefined,
        storage: { size: props.storageSize, storageClass: props.storageClass, resizeInUseVolumes: true },
        resources: {
          requests: {
            cpu: ClusterSpecResourcesRequests.fromString(requests.cpu),
            memory: ClusterSpecResourcesRequests.fromString(requests.memory),
          },
          limits: {
            cpu: ClusterSpecResourcesLimits.fromString(limits.cpu),
            memory: ClusterSpecResourcesLimits.fromString(limits.memory),
          },
        },
        affinity: {
          enablePodAntiAffinity: true,
          topologyKey: 'kubernetes.io/hostname',
          podAntiAffinityType: props.requireSeparateNodes ? 'required' : 'preferred',
        },
        // The exporter on 9187 runs with the default queries; the PodMonitor that scrapes it is
        // created explicitly by the monitoring layer (the operator's own is deprecated).
        monitoring: { disableDefaultQueries: false, enablePodMonitor: false },
      },
    });
  }
}
