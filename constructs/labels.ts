// Recommended app.kubernetes.io labels. Selectors use only the labels that never change for
// the life of a workload (name + part-of): a Deployment's selector is immutable.
export const PART_OF = 'ecodata';

/** Labels that select a component's pods; stable for the component's lifetime. */
export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF };
}

/** Every label an object of the component carries. */
export function componentLabels(name: string, component: string, version?: string): Record<string, string> {
  return {
    ...selectorLabels(name),
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': 'cdk8s',
    ...(version === undefined ? {} : { 'app.kubernetes.io/version': version }),
  };
}
