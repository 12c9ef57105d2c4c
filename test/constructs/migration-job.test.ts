import { Testing } from 'cdk8s';
import { MigrationJob, type MigrationJobProps } from '../../constructs/argocd/migration-job';
import type { KubeObject } from '../support/dist';
import { IMAGE, only, RESOURCES } from './helpers';

function synth(overrides: Partial<MigrationJobProps> = {}): KubeObject {
  const chart = Testing.chart();
  new MigrationJob(chart, 'Migration', { image: IMAGE, version: '1.0.0', resources: RESOURCES, serviceAccountName: 'api', ...overrides });
  return only(Testing.synth(chart) as KubeObject[], 'Job');
}

test('is an Argo CD Sync hook in the migration wave, replaced just before the next run', () => {
  expect(synth().metadata.annotations).toEqual({
    'argocd.argoproj.io/hook': 'Sync',
    'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    'argocd.argoproj.io/sync-wave': '1',
  });
});

test('runs node build/migrate.js once with one retry, a 10 minute deadline and a one day TTL by default', () => {
  const job = synth();
  expect(job.metadata.name).toBe('migrate');
  expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86400 });
  expect(job.spec.template.spec.restartPolicy).toBe('Never');
  expect(job.spec.template.spec.containers[0].command).toEqual(['node', 'build/migrate.js']);
});

test('runs as the given non-root user with a read-only root filesystem, a /tmp emptyDir and no token', () => {
  const pod = synth({ runAsUser: 20000 }).spec.template.spec;
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 20000, runAsGroup: 20000 });
  expect(pod.containers[0].securityContext).toMatchObject({
    runAsUser: 20000,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(pod.serviceAccountName).toBe('api');
});

test('renders plain and secret environment variables and the requests and limits', () => {
  const container = synth({ env: { APP_ENV: 'dev' }, secretEnv: { DATABASE_URL: { secretName: 'database-app', key: 'uri' } } }).spec.template.spec.containers[0];
  expect(container.env).toEqual([
    { name: 'APP_ENV', value: 'dev' },
    { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'database-app', key: 'uri' } } },
  ]);
  expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
});

test('honours a custom command, wave, backoff limit and deadline', () => {
  const job = synth({ command: ['node', 'other.js'], syncWave: 5, backoffLimit: 0, activeDeadlineSeconds: 60 });
  expect(job.metadata.annotations!['argocd.argoproj.io/sync-wave']).toBe('5');
  expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 60 });
  expect(job.spec.template.spec.containers[0].command).toEqual(['node', 'other.js']);
});

test('rejects an image without a digest and nonsensical retry settings', () => {
  expect(() => synth({ image: 'ghcr.io/o/ecodata-api:1.0.0' })).toThrow('image must be pinned by digest');
  expect(() => synth({ backoffLimit: -1 })).toThrow('backoffLimit must be a non-negative integer');
  expect(() => synth({ activeDeadlineSeconds: 0 })).toThrow('activeDeadlineSeconds must be a positive integer');
});
