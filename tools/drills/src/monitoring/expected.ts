// What Prometheus should be doing for one environment, read from the synthesized manifests in
// dist/<env>/ (the same YAML Argo CD applies): the scrape pools of its ServiceMonitors and
// PodMonitors, and the alert groups of its PrometheusRules.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DrillFailure } from '../errors';

export interface ExpectedMonitor {
  readonly kind: 'ServiceMonitor' | 'PodMonitor';
  readonly namespace: string;
  readonly name: string;
  /** prometheus-operator's scrape pool prefix for it: `serviceMonitor/<ns>/<name>/`. */
  readonly scrapePoolPrefix: string;
}

export interface ExpectedRuleGroup {
  readonly namespace: string;
  /** metadata.name of the PrometheusRule (the operator names its rule file `<ns>-<name>-<uid>.yaml`). */
  readonly ruleName: string;
  readonly group: string;
  readonly alerts: readonly string[];
}

export interface ExpectedMonitoring {
  readonly environment: string;
  readonly monitors: readonly ExpectedMonitor[];
  readonly ruleGroups: readonly ExpectedRuleGroup[];
}

interface Manifest {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { groups?: { name?: string; rules?: { alert?: string }[] }[] };
}

export function readExpectedMonitoring(distDir: string, environment: string): ExpectedMonitoring {
  const dir = path.join(distDir, environment);
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort();
  } catch (error) {
    throw new DrillFailure(`cannot read the synthesized manifests in ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run "npm run synth" or pass --dist-dir`);
  }
  const manifests: Manifest[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      if (document.errors.length > 0) throw new DrillFailure(`${path.join(dir, file)}: ${document.errors[0]?.message}`);
      const value = document.toJS() as Manifest | null;
      if (value) manifests.push(value);
    }
  }
  const monitors: ExpectedMonitor[] = [];
  const ruleGroups: ExpectedRuleGroup[] = [];
  for (const manifest of manifests) {
    const name = manifest.metadata?.name;
    const namespace = manifest.metadata?.namespace;
    if (name === undefined || namespace === undefined) continue;
    if (manifest.kind === 'ServiceMonitor' || manifest.kind === 'PodMonitor') {
      const pool = manifest.kind === 'ServiceMonitor' ? 'serviceMonitor' : 'podMonitor';
      monitors.push({ kind: manifest.kind, namespace, name, scrapePoolPrefix: `${pool}/${namespace}/${name}/` });
    } else if (manifest.kind === 'PrometheusRule') {
      for (const group of manifest.spec?.groups ?? []) {
        const alerts = (group.rules ?? []).flatMap((rule) => (rule.alert ? [rule.alert] : []));
        if (group.name) ruleGroups.push({ namespace, ruleName: name, group: group.name, alerts });
      }
    }
  }
  if (monitors.length === 0 && ruleGroups.length === 0) {
    throw new DrillFailure(`${dir} holds no ServiceMonitor, PodMonitor or PrometheusRule: nothing to check`);
  }
  return { environment, monitors, ruleGroups };
}
