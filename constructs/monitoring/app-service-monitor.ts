// Prometheus scrapes a WebService's /metrics through its Service: the ServiceMonitor selects
// the Service by its stable selector labels and names the port, so the scrape job is the
// Service name (`job="api"`), which the alert rules and dashboard filter on.
import { Construct } from 'constructs';
import { ServiceMonitor } from '../imports/servicemonitor-monitoring.coreos.com';

export interface AppServiceMonitorProps {
  /** Name of the ServiceMonitor (the Service's name). */
  readonly name: string;
  /** Labels of the Service to scrape. */
  readonly selector: Readonly<Record<string, string>>;
  /** Name of the Service port serving metrics. */
  readonly port: string;
  /** HTTP path of the metrics. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval (Prometheus duration). @default '30s' */
  readonly interval?: string;
  /** Labels of the ServiceMonitor itself (e.g. what the Prometheus selects on). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export class AppServiceMonitor extends Construct {
  public readonly serviceMonitor: ServiceMonitor;

  constructor(scope: Construct, id: string, props: AppServiceMonitorProps) {
    super(scope, id);
    if (Object.keys(props.selector).length === 0) {
      throw new Error(`AppServiceMonitor ${props.name}: selector must not be empty (it would scrape every Service in the namespace)`);
    }
    const interval = props.interval ?? '30s';
    this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', {
      metadata: { name: props.name, labels: { ...props.labels } },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        endpoints: [{ port: props.port, path: props.path ?? '/metrics', interval, scrapeTimeout: '10s' }],
      },
    });
  }
}
