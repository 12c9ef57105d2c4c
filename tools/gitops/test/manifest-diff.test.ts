import { diffResources, parseResources, renderMarkdown } from '../src/manifest-diff';

const deployment = (image: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ecodata-dev
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: sidecar
          image: busybox
        - name: api
          image: ${image}
`;

const parse = (files: Record<string, string>) => parseResources(new Map(Object.entries(files)));

describe('manifest diff', () => {
  test('containers are matched by name, so a changed image is reported at containers[api].image', () => {
    const changes = diffResources(parse({ 'a.yaml': deployment('api:v1') }), parse({ 'a.yaml': deployment('api:v2', 2) }));
    expect(changes).toHaveLength(1);
    expect(changes[0].change).toBe('changed');
    expect(changes[0].fields.map((f) => f.path)).toEqual(['spec.replicas', 'spec.template.spec.containers[api].image']);
  });

  test('resources are keyed by kind, namespace and name, not by file, so moving one between files is no change', () => {
    const before = parse({ 'all.yaml': `${deployment('x')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: ecodata-dev\n` });
    const after = parse({ 'deployment.yaml': deployment('x'), 'service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: ecodata-dev\n' });
    expect(diffResources(before, after)).toEqual([]);
  });

  test('a resource defined twice is an error naming the file', () => {
    expect(() => parse({ 'a.yaml': `${deployment('x')}---\n${deployment('y')}` })).toThrow('a.yaml: Deployment ecodata-dev/api is defined twice');
  });

  test('invalid YAML is an error naming the file', () => {
    expect(() => parse({ 'bad.yaml': 'a: [unclosed' })).toThrow(/^bad\.yaml: invalid YAML/);
  });

  test('the Markdown lists removed, changed, then added resources with old and new values', () => {
    const before = parse({ 'a.yaml': deployment('api:v1'), 'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n' });
    const after = parse({ 'a.yaml': deployment('api:v2'), 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n' });
    const markdown = renderMarkdown('`dist/dev`', diffResources(before, after));
    const rows = markdown.split('\n').filter((line) => /^\| (added|changed|removed) /.test(line));
    expect(rows).toEqual([
      '| removed | ConfigMap | old |  |',
      '| changed | Deployment | ecodata-dev/api | `spec.template.spec.containers[api].image` |',
      '| added | ConfigMap | new |  |',
    ]);
    expect(markdown).toContain('- `spec.template.spec.containers[api].image`: `api:v1` → `api:v2`');
  });
});
