// Prometheus scrapes the exporter built into every CloudNativePG instance (port `metrics`,
// 9187) directly on the pods: replicas have no Service of their own to go through.
import { Construct } from 'constructs';
import { PodMonitor } from '../imports/podmonitor-monitoring.coreos.com';

export interface DatabasePodMonitorProps {
  /** Name of the PodMonitor (the cluster's name). */
  readonly name: string;
  /** Labels of the instance pods (`cnpg.io/cluster: <name>`). */
  readonly selector: Readonly<Record<string, string>>;
  /** Name of the instance container's exporter port. @default 'metrics' */
  readonly port?: string;
  /** Scrape interval (Prometheus duration). @default '30s' */
  readonly interval?: string;
  /** Labels of the PodMonitor itself. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export class DatabasePodMonitor extends Construct {
  public readonly podMonitor: PodMonitor;

  constructor(scope: Construct, id: string, props: DatabasePodMonitorProps) {
    super(scope, id);
    if (Object.keys(props.selector).length === 0) {
      throw new Error(`DatabasePodMonitor ${props.name}: selector must not be empty (it would scrape every pod in the namespace)`);
    }
    this.podMonitor = new PodMonitor(this, 'PodMonitor', {
      metadata: { name: props.name, labels: { ...props.labels } },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        podMetricsEndpoints: [{ port: props.port ?? 'metrics', interval: props.interval ?? '30s', scrapeTimeout: '10s' }],
      },
    });
  }
}
