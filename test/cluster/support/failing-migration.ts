// STAND-IN for a release whose database migration fails. No container runs under kwok, so
// "the migration fails" is played by an extra kwok stage: a Job pod whose first container
// runs FAILING_MIGRATION_IMAGE ends Failed (exit code 1) instead of Succeeded. Deploying that
// image with `gitops bump` is then exactly what a user does when shipping a broken migration.
import fs from 'node:fs';
import path from 'node:path';

/** An immutable reference like any release's; only this stage gives it its outcome. */
export const FAILING_MIGRATION_IMAGE = `ghcr.io/ecodata/ecodata-api:failing-migration@sha256:${'fa11'.repeat(16)}`;

/**
 * Same selector as kwok's pod-complete stage, narrowed to the image. Weight 1 beats
 * pod-complete's unset weight when both match (kwok keeps only positively weighted stages).
 */
function stage(): string {
  return `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: ecodata-migration-fails
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  weight: 1
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '.metadata.ownerReferences.[].kind'
      operator: 'In'
      values: ['Job']
    - key: '.spec.containers.[0].image'
      operator: 'In'
      values: ['${FAILING_MIGRATION_IMAGE}']
  next:
    statusTemplate: |
      {{ $now := Now }}
      containerStatuses:
      {{ range $index, $item := .spec.containers }}
      - image: {{ $item.image | Quote }}
        name: {{ $item.name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: 1
            finishedAt: {{ $now | Quote }}
            reason: Error
            message: 'stand-in: the migration of this image fails'
            startedAt: {{ $now | Quote }}
      {{ end }}
      phase: Failed
`;
}

/** Writes the stage file into `dir`; returns its path for the cluster's kwok. */
export function writeFailingMigrationStage(dir: string): string {
  const file = path.join(dir, 'kwok-stage-migration-fails.yaml');
  fs.writeFileSync(file, stage());
  return file;
}
