// The platform configuration (environments/platform.ts) fails the synth with an error that
// names the file and every bad field.
import { parsePlatform, PlatformConfigError } from '../environments/load';
import { platform } from '../environments/platform';
import type { PlatformInput } from '../environments/platform-schema';

function problemsOf(input: PlatformInput): string {
  try {
    parsePlatform(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a platform configuration error');
}

test('the committed platform configuration is valid and defaults the Argo CD namespace, cluster and dist folder', () => {
  expect(parsePlatform(platform)).toMatchObject({ argocdNamespace: 'argocd', destinationServer: 'https://kubernetes.default.svc', distPath: 'dist' });
});

test('a chart version range or wildcard is rejected with the field named', () => {
  expect(problemsOf({ ...platform, cloudnativePg: { ...platform.cloudnativePg, version: '^0.29.0' } })).toContain('cloudnativePg.version: must be an exact version');
  expect(problemsOf({ ...platform, gatewayApiCrds: { ...platform.gatewayApiCrds, version: '*' } })).toContain('gatewayApiCrds.version: must be an exact version');
});

test('a plain-http or credential-carrying repository URL is rejected', () => {
  expect(problemsOf({ ...platform, repoURL: 'http://github.com/ecodata/ecodata-gitops.git' })).toContain('invalid platform configuration in environments/platform.ts');
  expect(problemsOf({ ...platform, repoURL: 'https://user:token@github.com/ecodata/x.git' })).toContain('repoURL: must be an https:// URL');
});

test('a path escaping the repository and an unknown field are rejected', () => {
  expect(problemsOf({ ...platform, distPath: '../dist' })).toContain('distPath');
  expect(problemsOf({ ...platform, extra: true } as PlatformInput)).toContain('extra');
});

test('a file:// URL of an absolute path is accepted for an offline clone, a relative one is not', () => {
  expect(parsePlatform({ ...platform, repoURL: 'file:///tmp/ecodata-clone' }).repoURL).toBe('file:///tmp/ecodata-clone');
  expect(problemsOf({ ...platform, repoURL: 'file://tmp/clone' })).toContain('repoURL: must be an https:// URL');
});

test("kube-prometheus-stack's operator must be the version of the Prometheus Operator CRDs the platform installs", () => {
  expect(problemsOf({ ...platform, kubePrometheusStack: { ...platform.kubePrometheusStack, appVersion: 'v0.92.1' } })).toContain(
    'kubePrometheusStack.appVersion: must equal prometheusOperatorCrds.version (v0.93.0)',
  );
});

test('an OCI chart registry is given without a scheme, and the ACME e-mail and issuers are checked', () => {
  expect(problemsOf({ ...platform, envoyGateway: { ...platform.envoyGateway, repoURL: 'oci://docker.io/envoyproxy' } })).toContain('envoyGateway.repoURL: must be an OCI registry path');
  expect(problemsOf({ ...platform, tls: { ...platform.tls, acmeEmail: 'nobody' } })).toContain('tls.acmeEmail: must be an e-mail address');
  expect(problemsOf({ ...platform, tls: { ...platform.tls, issuers: {} } })).toContain('tls.issuers: must name at least one issuer');
});
