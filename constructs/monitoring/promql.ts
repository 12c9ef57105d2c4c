// PromQL building blocks. Label values are quoted in one place so alert rules and dashboard
// panels never hand-assemble selectors (a stray quote would break the rule at load time).

/**
 * Label matchers keyed by label name; a name may end in an operator (`status=~`, `route!~`,
 * `phase!=`), otherwise equality is meant. Rendered in key order.
 */
export type Matchers = Readonly<Record<string, string>>;

const MATCHER = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=)?$/;

/** A PromQL string literal (JSON escaping is a subset of PromQL's Go-style escaping). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** `metric{label="value",...}` */
export function selector(metric: string, matchers: Matchers = {}): string {
  const parts = Object.entries(matchers).map(([key, value]) => {
    const match = MATCHER.exec(key);
    if (!match) throw new Error(`invalid label matcher key "${key}" for ${metric}`);
    return `${match[1]}${match[2] ?? '='}${quote(value)}`;
  });
  return parts.length === 0 ? metric : `${metric}{${parts.join(',')}}`;
}

/** An anchored alternation regex of literal names, e.g. `api|front`. */
export function oneOf(names: readonly string[]): string {
  return names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
