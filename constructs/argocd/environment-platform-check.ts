// Where an environment's config names something the platform provides (the Gateway, its
// proxies, Prometheus, an issuer, the operator), the two must agree; otherwise the rendered
// manifests would be valid one by one and broken together. Errors name environment and field.
import type { PlatformConfig } from '../../environments/platform-schema';
import type { EnvironmentConfig } from '../../environments/schema';
import { monitoringSelectorLabels } from './platform-values';

export function checkEnvironmentsAgainstPlatform(environments: readonly EnvironmentConfig[], platform: PlatformConfig): void {
  const problems: string[] = [];
  const differs = (environment: EnvironmentConfig, field: string, actual: string, expected: string, platformField: string) => {
    if (actual !== expected) problems.push(`environment "${environment.name}": ${field} "${actual}" differs from ${platformField} "${expected}" in environments/platform.ts`);
  };
  const listeners = new Map<string, string>();
  for (const environment of environments) {
    // The environment's NetworkPolicies admit the operator from this namespace only.
    differs(environment, 'cnpgOperatorNamespace', environment.cnpgOperatorNamespace, platform.cloudnativePg.namespace, 'the CloudNativePG namespace');
    differs(environment, 'gateway.name', environment.gateway.name, platform.gateway.name, 'gateway.name');
    differs(environment, 'gateway.namespace', environment.gateway.namespace, platform.gateway.namespace, 'gateway.namespace');
    // Envoy Gateway runs the proxies in the Gateway's namespace (GatewayNamespace mode).
    differs(environment, 'gateway.dataPlaneNamespace', environment.gateway.dataPlaneNamespace ?? environment.gateway.namespace, platform.gateway.namespace, 'gateway.namespace');
    differs(environment, 'monitoringNamespace', environment.monitoringNamespace, platform.kubePrometheusStack.namespace, 'kubePrometheusStack.namespace');
    if (!(environment.tls.issuer in platform.tls.issuers)) {
      problems.push(`environment "${environment.name}": tls.issuer "${environment.tls.issuer}" is not one of tls.issuers in environments/platform.ts (${Object.keys(platform.tls.issuers).join(', ')})`);
    }
    for (const [key, value] of Object.entries(monitoringSelectorLabels(platform))) {
      if (environment.monitoring.labels[key] !== value) {
        problems.push(`environment "${environment.name}": monitoring.labels must include ${key}: "${value}" (the monitoring stack selects monitors and rules by it)`);
      }
    }
    const owner = listeners.get(environment.gateway.sectionName);
    if (owner !== undefined) problems.push(`environment "${environment.name}": gateway.sectionName "${environment.gateway.sectionName}" is already the listener of environment "${owner}"`);
    listeners.set(environment.gateway.sectionName, environment.name);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
