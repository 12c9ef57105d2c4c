// PromQL checks for tests: parse with Prometheus' own Lezer grammar (the one its web UI uses)
// and read the metric names out of the syntax tree rather than with a regex.
import type { LRParser } from '@lezer/lr';

// The package is ESM with a CommonJS build (dist/index.cjs) that jest's module runtime loads;
// `require` keeps this file CommonJS like the rest of the tests.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

export interface ParsedQuery {
  /** Syntax errors as `offset: text`; empty when the expression parses. */
  readonly errors: readonly string[];
  /** Metric names of every vector selector, sorted and unique. */
  readonly metrics: readonly string[];
}

/**
 * Grafana substitutes these before sending a query to Prometheus; replaced here by values of
 * the same PromQL type. Any other `$variable` is left in place and fails to parse.
 */
const GRAFANA_VARIABLES: Readonly<Record<string, string>> = {
  $__rate_interval: '5m',
  $__interval: '1m',
  $__range: '1h',
};

export function substituteGrafanaVariables(expr: string): string {
  return expr.replace(/\$__[a-z_]+/g, (name) => GRAFANA_VARIABLES[name] ?? name);
}

export function parsePromql(expr: string): ParsedQuery {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const metrics = new Set<string>();
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
      if (node.name === 'VectorSelector') {
        const name = node.node.getChild('Identifier');
        if (name) metrics.add(expr.slice(name.from, name.to));
      }
    },
  });
  if (expr.trim() === '') errors.push('0: empty expression');
  return { errors, metrics: [...metrics].sort() };
}
