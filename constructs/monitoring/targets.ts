// What the monitoring layer watches in one environment, in terms of object names: the
// scrape job of a ServiceMonitor is its Service's name, kube-state-metrics labels series
// with the Deployment/HPA name, CloudNativePG instance pods and PVCs are `<cluster>-<n>`.
export interface MonitoredService {
  /** Name of the Deployment, Service (= scrape job) and HPA. */
  readonly name: string;
  /** Labels of the Service, used by its ServiceMonitor's selector. */
  readonly serviceSelector: Readonly<Record<string, string>>;
  /** Name of the Service port serving /metrics. */
  readonly metricsPortName: string;
  /** HPA bounds when an HPA scales the Deployment. @default fixed replicas */
  readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number };
}

export interface MonitoringTargets {
  /** Environment name; added as the `environment` label of every alert. */
  readonly environment: string;
  /** Namespace of the workloads; every query filters on it. */
  readonly namespace: string;
  readonly api: MonitoredService;
  readonly front: MonitoredService;
  /** The CloudNativePG cluster. */
  readonly database: {
    /** Cluster name; instance pods and their PVCs are `<name>-<n>` (`-wal` for WAL volumes). */
    readonly name: string;
    /** Database the application uses (charted transactions). */
    readonly databaseName: string;
    /** Labels of the instance pods, used by the PodMonitor's selector. */
    readonly podSelector: Readonly<Record<string, string>>;
    /** Name of the instance container's exporter port. */
    readonly metricsPortName: string;
  };
  /** Regular expression (RE2, fully anchored by Prometheus) matching migration Job names. */
  readonly migrationJobPattern: string;
}

/** Regex matching the instance pods of a CloudNativePG cluster. */
export const instancePods = (cluster: string): string => `${cluster}-[0-9]+`;
