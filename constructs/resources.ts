// Compute resources expressed as numbers (millicores, MiB), so configs can be compared and
// validated numerically, and rendered for cdk8s-plus or as Kubernetes quantity strings.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

export interface Compute {
  /** CPU in millicores. */
  readonly cpuMillis: number;
  /** Memory in mebibytes. */
  readonly memoryMiB: number;
}

export interface ComputeResources {
  /** What the scheduler reserves. */
  readonly requests: Compute;
  /** The ceiling the kubelet enforces. */
  readonly limits: Compute;
}

export function toContainerResources(resources: ComputeResources): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(resources.requests.cpuMillis), limit: kplus.Cpu.millis(resources.limits.cpuMillis) },
    memory: { request: Size.mebibytes(resources.requests.memoryMiB), limit: Size.mebibytes(resources.limits.memoryMiB) },
  };
}

/** `{ cpu: '250m', memory: '512Mi' }` quantities, as custom resources expect them. */
export function toQuantities(compute: Compute): { cpu: string; memory: string } {
  return { cpu: `${compute.cpuMillis}m`, memory: `${compute.memoryMiB}Mi` };
}
