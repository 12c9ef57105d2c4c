// Shared fixtures for construct tests.
import type { ComputeResources } from '../../constructs/resources';
import type { KubeObject } from '../support/dist';

export const IMAGE = `ghcr.io/o/ecodata-api:1.0.0@sha256:${'b'.repeat(64)}`;
export const RESOURCES: ComputeResources = { requests: { cpuMillis: 100, memoryMiB: 128 }, limits: { cpuMillis: 500, memoryMiB: 256 } };

export function only(objects: readonly KubeObject[], kind: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}
