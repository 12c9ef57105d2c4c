// Ships a dashboard JSON model as a ConfigMap labelled for the Grafana sidecar
// (kube-prometheus-stack's grafana.sidecar.dashboards, label `grafana_dashboard: "1"`),
// which loads every such ConfigMap it finds.
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface GrafanaDashboardProps {
  /** Name of the ConfigMap; the dashboard file is `<name>.json`. */
  readonly name: string;
  /** The dashboard JSON model. */
  readonly dashboard: Record<string, unknown>;
  /** Extra labels of the ConfigMap. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Grafana folder the sidecar files the dashboard under. @default the sidecar's default folder */
  readonly folder?: string;
}

export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';
/** Annotation the sidecar reads the folder from (kube-prometheus-stack values, folderAnnotation). */
export const GRAFANA_FOLDER_ANNOTATION = 'grafana_folder';

export class GrafanaDashboard extends Construct {
  public readonly configMap: kplus.k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    this.configMap = new kplus.k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: {
        name: props.name,
        labels: { ...props.labels, [GRAFANA_DASHBOARD_LABEL]: '1' },
        annotations: props.folder ? { [GRAFANA_FOLDER_ANNOTATION]: props.folder } : undefined,
      },
      data: { [`${props.name}.json`]: `${JSON.stringify(props.dashboard, null, 2)}\n` },
    });
  }
}
