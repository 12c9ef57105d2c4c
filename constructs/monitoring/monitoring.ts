// Everything Prometheus and Grafana need for one environment: ServiceMonitors for the API
// and front, a PodMonitor for the CloudNativePG instances, the PrometheusRule with the
// environment's alerts and the Grafana dashboard ConfigMap.
import { Construct } from 'constructs';
import { AppServiceMonitor } from './app-service-monitor';
import { alertDefinitions, type AlertDefinition, type AlertThresholds } from './alert-rules';
import { AlertingRules } from './alerting-rules';
import { dashboardPanels, grafanaDashboard, type PanelDefinition } from './dashboard';
import { DatabasePodMonitor } from './database-pod-monitor';
import { GrafanaDashboard } from './grafana-dashboard';
import type { MonitoringTargets } from './targets';

export interface MonitoringProps {
  readonly targets: MonitoringTargets;
  readonly thresholds: AlertThresholds;
  /** Repository holding docs/runbooks/ (runbook_url of every alert). */
  readonly repositoryUrl: string;
  /** Scrape interval of every target. @default '30s' */
  readonly scrapeInterval?: string;
  /** Labels of the ServiceMonitors, PodMonitor and PrometheusRule (what the Prometheus selects). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export class Monitoring extends Construct {
  public readonly api: AppServiceMonitor;
  public readonly front: AppServiceMonitor;
  public readonly database: DatabasePodMonitor;
  public readonly alerts: readonly AlertDefinition[];
  public readonly rules: AlertingRules;
  public readonly panels: readonly PanelDefinition[];
  public readonly dashboard: GrafanaDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { targets } = props;
    const interval = props.scrapeInterval ?? '30s';
    const labels = props.labels ?? {};

    const serviceMonitor = (cid: string, service: MonitoringTargets['api']) =>
      new AppServiceMonitor(this, cid, { name: service.name, selector: service.serviceSelector, port: service.metricsPortName, interval, labels });
    this.api = serviceMonitor('Api', targets.api);
    this.front = serviceMonitor('Front', targets.front);
    this.database = new DatabasePodMonitor(this, 'Database', {
      name: targets.database.name,
      selector: targets.database.podSelector,
      port: targets.database.metricsPortName,
      interval,
      labels,
    });

    this.alerts = alertDefinitions(targets, props.thresholds);
    this.rules = new AlertingRules(this, 'Rules', {
      name: 'ecodata-alerts',
      environment: targets.environment,
      alerts: this.alerts,
      repositoryUrl: props.repositoryUrl,
      labels,
    });

    this.panels = dashboardPanels(targets);
    this.dashboard = new GrafanaDashboard(this, 'Dashboard', {
      name: 'ecodata-dashboard',
      // One folder per environment, so the same dashboard of dev and prod are told apart.
      folder: targets.namespace,
      dashboard: grafanaDashboard(this.panels, {
        uid: `ecodata-${targets.environment}`,
        title: `EcoData (${targets.environment})`,
        tags: ['ecodata', targets.environment],
      }),
    });
  }
}
