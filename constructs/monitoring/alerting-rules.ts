// The environment's alerts as one PrometheusRule: every rule carries its severity and
// environment labels and the summary, description and runbook_url annotations.
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../imports/prometheusrule-monitoring.coreos.com';
import type { AlertDefinition } from './alert-rules';
import { runbookUrl } from './runbooks';

export interface AlertingRulesProps {
  /** Name of the PrometheusRule and of its rule group. */
  readonly name: string;
  /** Environment name, added as the `environment` label of every alert. */
  readonly environment: string;
  readonly alerts: readonly AlertDefinition[];
  /** Repository holding docs/runbooks/, e.g. https://github.com/<owner>/<repo>. */
  readonly repositoryUrl: string;
  /** Labels of the PrometheusRule itself (e.g. what the Prometheus selects on). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export class AlertingRules extends Construct {
  public readonly prometheusRule: PrometheusRule;

  constructor(scope: Construct, id: string, props: AlertingRulesProps) {
    super(scope, id);
    const seen = new Set<string>();
    for (const { alert } of props.alerts) {
      if (seen.has(alert)) throw new Error(`AlertingRules ${props.name}: alert ${alert} is defined twice`);
      seen.add(alert);
    }
    this.prometheusRule = new PrometheusRule(this, 'PrometheusRule', {
      metadata: { name: props.name, labels: { ...props.labels } },
      spec: {
        groups: [
          {
            name: props.name,
            rules: props.alerts.map((definition) => ({
              alert: definition.alert,
              expr: PrometheusRuleSpecGroupsRulesExpr.fromString(definition.expr),
              for: definition.for,
              labels: { severity: definition.severity, environment: props.environment },
              annotations: {
                summary: definition.summary,
                description: definition.description,
                runbook_url: runbookUrl(props.repositoryUrl, definition.alert),
              },
            })),
          },
        ],
      },
    });
  }
}
